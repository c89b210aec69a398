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
  new MutationObserver(function () { nameRangeSliders(document); })
    .observe(document.documentElement, {childList: true, subtree: true});
})();

/* Printing: open every "vis som tabel" and definition, so the paper carries the numbers and sources too. */
window.addEventListener('beforeprint', function () {
  document.querySelectorAll('details').forEach(function (d) { d.setAttribute('open', ''); });
});

/* PNG and SVG from the modebar: plotly's camera button makes one format (PNG, set in graph_config); this adds an SVG
   button beside it with the same view-based file name. A button's click must be a function, which Dash's JSON
   config cannot carry, so the config is completed here when dcc.Graph hands a figure to plotly. */
(function () {
  function withSvgButton(config) {
    if (!config || !config.toImageButtonOptions || !window.Plotly) { return config; }
    const filename = config.toImageButtonOptions.filename;
    const english = document.documentElement.lang === 'en';
    const others = (config.modeBarButtonsToAdd || []).filter(function (b) { return !(b && b.name === 'bosoc-svg'); });
    others.push({
      name: 'bosoc-svg',
      title: english ? 'Download as SVG' : 'Hent som SVG',
      icon: window.Plotly.Icons.disk,
      click: function (gd) {
        window.Plotly.downloadImage(gd, {format: 'svg', filename: filename, width: 1200, height: 600});
      }
    });
    return Object.assign({}, config, {modeBarButtonsToAdd: others});
  }
  function wrap(plotly) {
    if (!plotly || plotly.__bosocSvg) { return plotly; }
    ['newPlot', 'react'].forEach(function (name) {
      const original = plotly[name];
      if (typeof original !== 'function') { return; }
      plotly[name] = function (gd, data, layout, config) {
        if (arguments.length === 2 && data && !Array.isArray(data) && typeof data === 'object') {
          return original.call(plotly, gd, Object.assign({}, data, {config: withSvgButton(data.config)}));
        }
        return original.call(plotly, gd, data, layout, withSvgButton(config));
      };
    });
    plotly.__bosocSvg = true;
    return plotly;
  }
  let current = wrap(window.Plotly);
  Object.defineProperty(window, 'Plotly', {
    configurable: true,
    get: function () { return current; },
    set: function (value) { current = wrap(value); }
  });
})();
