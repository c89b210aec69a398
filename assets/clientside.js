/* Clientside helpers (no server round trip): SVG download of a chart and links that follow the URL state. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  bosoc: {
    downloadSvg: function (clicks) {
      const triggered = window.dash_clientside.callback_context.triggered_id;
      if (!triggered || !clicks.some(Boolean)) { return window.dash_clientside.no_update; }
      const button = document.querySelector('button[data-graph="' + CSS.escape(String(triggered.index)) + '"]');
      const card = button && button.closest('.chart-card');
      const graph = card && card.querySelector('.js-plotly-plot');
      if (graph && window.Plotly) {
        window.Plotly.downloadImage(graph, {format: 'svg', filename: button.dataset.filename, width: 1200, height: 600});
      }
      return window.dash_clientside.no_update;
    },
    stateLinks: function (search, pathname, ids) {
      // The language switch keeps the whole current view: same path and query, other language.
      const params = new URLSearchParams(search || '');
      const current = params.get('sprog') === 'en' ? 'en' : 'da';
      if (current === 'en') { params.delete('sprog'); } else { params.set('sprog', 'en'); }
      const query = params.toString();
      return ids.map(function () { return pathname + (query ? '?' + query : ''); });
    }
  }
});

/* One observer for everything that follows the page's DOM (Dash re-renders parts of it at any time): each change
   batch runs the registered functions once, instead of every helper scanning the document on its own. */
(function () {
  const listeners = [];
  window.bosocOnDomChange = function (listener) { listeners.push(listener); };
  new MutationObserver(function () { listeners.forEach(function (listener) { listener(); }); }).observe(
    document.documentElement, {childList: true, subtree: true, attributes: true, attributeFilter: ['data-table']}
  );
})();

/* Dash 4's RangeSlider renders two number inputs and two slider handles without accessible names. A wrapper with
   data-label-from / data-label-to (see components.controls.year_range) names them for screen readers. */
(function () {
  function nameRangeSliders(root) {
    root.querySelectorAll('[data-label-from]').forEach(function (wrapper) {
      const from = wrapper.getAttribute('data-label-from');
      const to = wrapper.getAttribute('data-label-to');
      const min = wrapper.querySelector('.dash-range-slider-min-input');
      const max = wrapper.querySelector('.dash-range-slider-max-input');
      if (min && !min.getAttribute('aria-label')) { min.setAttribute('aria-label', from); }
      if (max && !max.getAttribute('aria-label')) { max.setAttribute('aria-label', to); }
      const thumbs = wrapper.querySelectorAll('[role="slider"]');
      if (thumbs[0] && !thumbs[0].getAttribute('aria-label')) { thumbs[0].setAttribute('aria-label', from); }
      if (thumbs[1] && !thumbs[1].getAttribute('aria-label')) { thumbs[1].setAttribute('aria-label', to); }
    });
  }
  window.bosocOnDomChange(function () { nameRangeSliders(document); });
})();

/* Printing: open every "vis som tabel" and definition, so the paper carries the numbers and sources too. */
window.addEventListener('beforeprint', function () {
  document.querySelectorAll('details').forEach(function (d) { d.setAttribute('open', ''); });
});

/* PNG and SVG from the modebar, named after the view. plotly's own camera button takes its file name from the config,
   and a config that changes (or that carries a new function) makes Plotly.react throw the chart away and draw it
   anew, about four times slower than updating it. So the config stays the same for the life of a chart: the two
   buttons below are made once per language, and read the file name at click time from the chart card's "Hent som
   SVG" button (data-filename, which the callbacks keep up to date), falling back to the config's name. A button's
   click must be a function, which Dash's JSON config cannot carry, so the config is completed here when dcc.Graph
   hands a figure to plotly. */
(function () {
  const buttons = {};
  function filenameFor(gd) {
    const card = gd.closest && gd.closest('.chart-card, .map-card');
    const named = card && card.querySelector('[data-filename]');
    if (named && named.getAttribute('data-filename')) { return named.getAttribute('data-filename'); }
    const options = gd._context && gd._context.toImageButtonOptions;
    return (options && options.filename) || 'bosoc';
  }
  function download(gd, format) {
    window.Plotly.downloadImage(gd, {
      format: format, filename: filenameFor(gd), width: 1200, height: 600, scale: format === 'png' ? 2 : 1
    });
  }
  function modeBarButtons(lang) {
    if (!buttons[lang]) {
      const english = lang === 'en';
      buttons[lang] = [
        {
          name: 'bosoc-png',
          title: english ? 'Download plot as a PNG' : 'Hent figuren som PNG',
          icon: window.Plotly.Icons.camera,
          click: function (gd) { download(gd, 'png'); }
        },
        {
          name: 'bosoc-svg',
          title: english ? 'Download as SVG' : 'Hent som SVG',
          icon: window.Plotly.Icons.disk,
          click: function (gd) { download(gd, 'svg'); }
        }
      ];
    }
    return buttons[lang];
  }
  function withDownloadButtons(config) {
    if (!config || !config.toImageButtonOptions || !window.Plotly) { return config; }
    const lang = document.documentElement.lang === 'en' ? 'en' : 'da';
    const others = (config.modeBarButtonsToAdd || []).filter(function (b) {
      return !(b && (b.name === 'bosoc-png' || b.name === 'bosoc-svg'));
    });
    const remove = (config.modeBarButtonsToRemove || []).filter(function (b) { return b !== 'toImage'; });
    return Object.assign({}, config, {
      modeBarButtonsToAdd: others.concat(modeBarButtons(lang)),
      modeBarButtonsToRemove: remove.concat(['toImage'])
    });
  }
  function wrap(plotly) {
    if (!plotly || plotly.__bosocDownloads) { return plotly; }
    ['newPlot', 'react'].forEach(function (name) {
      const original = plotly[name];
      if (typeof original !== 'function') { return; }
      plotly[name] = function (gd, data, layout, config) {
        if (arguments.length === 2 && data && !Array.isArray(data) && typeof data === 'object') {
          return original.call(plotly, gd, Object.assign({}, data, {config: withDownloadButtons(data.config)}));
        }
        return original.call(plotly, gd, data, layout, withDownloadButtons(config));
      };
    });
    plotly.__bosocDownloads = true;
    return plotly;
  }
  let current = wrap(window.Plotly);
  Object.defineProperty(window, 'Plotly', {
    configurable: true,
    get: function () { return current; },
    set: function (value) { current = wrap(value); }
  });
})();

/* Tables (components.chart.table): a host element carries the table as JSON in data-table; the real <table> is built
   here with text nodes only (never HTML), and rebuilt when the data changes. */
(function () {
  function cell(tag, text, attributes) {
    const element = document.createElement(tag);
    element.textContent = text;
    Object.keys(attributes || {}).forEach(function (name) { element.setAttribute(name, attributes[name]); });
    return element;
  }
  function build(host) {
    const spec = host.getAttribute('data-table');
    if (host.__bosocTable === spec) { return; }
    host.__bosocTable = spec;
    let data;
    try { data = JSON.parse(spec); } catch (error) { return; }
    const table = document.createElement('table');
    table.className = data.className || 'table table-sm data-table';
    if (data.caption) { table.appendChild(cell('caption', data.caption)); }
    const headRow = document.createElement('tr');
    (data.header || []).forEach(function (text, i) {
      const attributes = {scope: 'col'};
      if (i > 0 && i >= (data.numericFrom || 1)) { attributes['class'] = 'num'; }
      headRow.appendChild(cell('th', text, attributes));
    });
    const thead = document.createElement('thead');
    thead.appendChild(headRow);
    table.appendChild(thead);
    const tbody = document.createElement('tbody');
    (data.rows || []).forEach(function (row) {
      const tr = document.createElement('tr');
      row.forEach(function (text, i) {
        if (i === 0) { tr.appendChild(cell('th', text, {scope: 'row'})); return; }
        const attributes = {'data-label': (data.header || [])[i] || ''};
        if (i >= (data.numericFrom || 1)) { attributes['class'] = 'num'; }
        tr.appendChild(cell('td', text, attributes));
      });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    host.replaceChildren(table);
  }
  function buildAll() { document.querySelectorAll('[data-table]').forEach(build); }
  window.bosocOnDomChange(buildAll);
  buildAll();
})();
