// Filter and sort of a gallery page. Reads each card's data-* attributes (dataset), never HTML; no network, no eval.
(function () {
  'use strict';
  var grid = document.getElementById('grid');
  var filter = document.getElementById('filter');
  var sort = document.getElementById('sort');
  var shown = document.getElementById('shown');
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  var items = Array.prototype.map.call(grid.children, function (card, index) {
    var d = card.dataset;
    return {
      card: card, index: index, prompt: d.prompt || '', model: d.model || '', time: d.time || '',
      text: [d.prompt, d.negative, d.model, d.seed, d.task].join('\n').toLowerCase()
    };
  });
  var orders = {
    '': function (a, b) { return a.index - b.index; },
    prompt: function (a, b) { return collator.compare(a.prompt, b.prompt) || a.index - b.index; },
    model: function (a, b) { return collator.compare(a.model, b.model) || a.index - b.index; },
    time: function (a, b) { return a.time < b.time ? -1 : a.time > b.time ? 1 : a.index - b.index; },
    newest: function (a, b) { return a.time > b.time ? -1 : a.time < b.time ? 1 : a.index - b.index; }
  };

  function applyFilter() {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    var count = 0;
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      var match = words.every(function (word) { return item.text.indexOf(word) >= 0; });
      if (item.card.hidden === match) item.card.hidden = !match;
      if (match) count++;
    }
    shown.textContent = count === items.length ? count + ' shown' : count + ' of ' + items.length + ' shown';
  }

  function applySort() {
    var fragment = document.createDocumentFragment();
    items.slice().sort(orders[sort.value] || orders['']).forEach(function (item) { fragment.appendChild(item.card); });
    grid.appendChild(fragment);
  }

  var pending = 0;
  filter.addEventListener('input', function () {
    clearTimeout(pending);
    pending = setTimeout(applyFilter, 100);
  });
  sort.addEventListener('change', applySort);
  document.getElementById('tools').hidden = false;
  applyFilter();
})();
