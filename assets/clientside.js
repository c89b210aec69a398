/* SVG download of a chart: its card's "Hent som SVG" button (built by Dash, or from data in components.tree), one
   document listener for every card. */
document.addEventListener('click', function (event) {
  const button = event.target.closest && event.target.closest('.chart-downloads button[data-graph]');
  const card = button && button.closest('.chart-card');
  const graph = card && card.querySelector('.js-plotly-plot');
  if (graph && window.Plotly && window.bosocDownloadChart) { window.bosocDownloadChart(graph, 'svg'); }
});

/* One observer for everything that follows the page's DOM (Dash re-renders parts of it at any time): each change
   batch runs the registered functions once, instead of every helper scanning the document on its own. */
(function () {
  const listeners = [];
  window.bosocOnDomChange = function (listener) { listeners.push(listener); };
  function inChart(node) {
    const element = node && (node.nodeType === 1 ? node : node.parentElement);
    // Inside a chart or its legend (built below), in plotly's text-measuring tester, or in an element no longer (or
    // not yet) in the page.
    return !element || !element.isConnected ||
      Boolean(element.closest('.js-plotly-plot, .chart-legend, #js-plotly-tester'));
  }
  new MutationObserver(function (records) {
    // plotly.js drawing a chart changes hundreds of its own elements, and a legend is rebuilt after each drawing; no
    // listener follows those: a batch of only such changes runs nothing (each listener scans the document; while an
    // area page redraws its 22-35 charts, these scans took about 20 ms per measure change at 100x). The attributes
    // observed are always followed.
    if (records.every(function (record) { return record.type !== 'attributes' && inChart(record.target); })) { return; }
    listeners.forEach(function (listener) { listener(); });
  }).observe(
    document.documentElement,
    {
      childList: true, subtree: true, characterData: true, attributes: true,
      attributeFilter: ['data-table', 'data-view', 'data-definition', 'data-tree']
    }
  );
})();

/* Elements built from data (tables, definition blocks, chart cards): text set as text, never as HTML, and a link
   only to an http(s) address, opened in a new tab without access to this page. */
(function () {
  function element(tag, text, attributes) {
    const built = document.createElement(tag);
    built.textContent = text == null ? '' : String(text);
    Object.keys(attributes || {}).forEach(function (name) { built.setAttribute(name, attributes[name]); });
    return built;
  }
  function link(text, href, title) {
    if (!/^https?:\/\//i.test(String(href || ''))) { return null; }
    const attributes = {href: String(href), target: '_blank', rel: 'noopener noreferrer'};
    if (title) { attributes.title = String(title); }
    return element('a', text, attributes);
  }
  // The JSON an element carries in ``attribute`` when it differs from what was built last (kept in ``property``, where
  // other code may read or clear it); undefined when it is the same, or not JSON.
  function changedData(host, attribute, property) {
    const spec = host.getAttribute(attribute);
    if (host[property] === spec) { return undefined; }
    host[property] = spec;
    try { return JSON.parse(spec); } catch (error) { return undefined; }
  }
  window.bosocBuild = {element: element, link: link, changedData: changedData};
})();

/* Parts of a page sent as data (components.tree: the strategy page's initiatives and themes, an area page's chart
   cards around their charts, tables with links, the data page's definitions): each element carrying data-tree is
   filled with the elements it describes, built with text nodes only. A tag outside the list below becomes a span, an
   attribute outside class, id, role, title, hidden, scope, aria-* and data-* is left out (a button is never a submit
   button); a link goes only to an http(s) address (new tab) or, marked "app", to an address inside the app, opened as
   dcc.Link opens one. */
(function () {
  const TAGS = ['div', 'p', 'span', 'ul', 'ol', 'li', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'small', 'code',
    'dl', 'dt', 'dd', 'article', 'section', 'br', 'details', 'summary', 'button', 'table', 'caption', 'thead', 'tbody',
    'tr', 'th', 'td', 'header', 'nav', 'footer'];
  const ATTRIBUTE = /^(class|id|role|title|hidden|scope|lang|aria-[a-z-]+|data-[a-z-]+)$/;
  const IN_APP = /^\/(?![\/\\])/;  // a path on this origin ("/..."), never "//host", "/\host" or a scheme
  // A link to a path on this site: opened inside the app (``app``, as dcc.Link opens one) or a plain link (the
  // language switch, "Log ud"). Null for anything else.
  function pathLink(href, app) {
    if (!IN_APP.test(String(href || ''))) { return null; }
    const a = document.createElement('a');
    a.setAttribute('href', String(href));
    if (app) { a.setAttribute('data-app-link', ''); }
    return a;
  }
  function build(node) {
    if (node === null || node === undefined) { return null; }
    if (typeof node !== 'object') { return document.createTextNode(String(node)); }
    if (Array.isArray(node)) {
      const fragment = document.createDocumentFragment();
      node.forEach(function (child) { const built = build(child); if (built) { fragment.appendChild(built); } });
      return fragment;
    }
    const attrs = node.attrs || {};
    let element = null;
    if (node.tag === 'a') {
      element = node.app || node.site ? pathLink(attrs.href, node.app) : window.bosocBuild.link('', attrs.href);
    }
    if (!element) { element = document.createElement(TAGS.indexOf(node.tag) >= 0 ? node.tag : 'span'); }
    if (element.tagName === 'BUTTON') { element.type = 'button'; }  // never a form's submit button
    Object.keys(attrs).forEach(function (name) {
      if (ATTRIBUTE.test(name)) { element.setAttribute(name, String(attrs[name])); }
    });
    const children = build(node.children);
    if (children) { element.appendChild(children); }
    return element;
  }
  function fill(host) {
    const data = window.bosocBuild.changedData(host, 'data-tree', '__bosocTree');
    if (data === undefined) { return; }
    const built = build(data);
    host.replaceChildren.apply(host, built ? [built] : []);
  }
  function fillAll() { document.querySelectorAll('[data-tree]').forEach(fill); }
  document.addEventListener('click', function (event) {
    const a = event.target.closest && event.target.closest('a[data-app-link]');
    if (!a || !IN_APP.test(a.getAttribute('href') || '') || event.defaultPrevented || event.button !== 0 ||
        event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    event.preventDefault();
    window.history.pushState({}, '', a.getAttribute('href'));
    window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));
    window.scrollTo(0, 0);
  });
  // The header's menu button on a phone (components.shell): opens and closes the links below it.
  document.addEventListener('click', function (event) {
    const button = event.target.closest && event.target.closest('button[data-collapse-toggle]');
    const menu = button && document.getElementById(button.getAttribute('data-collapse-toggle'));
    if (!menu) { return; }
    const open = !menu.classList.contains('show');
    menu.classList.toggle('show', open);
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
  });
  window.bosocOnDomChange(fillAll);
  fillAll();
})();

/* The document's title and language follow the page shown (the router and an indicator pick write them into the
   hidden #page-title and #html-lang elements). A Dash callback would be a round of its own after each of them. */
window.bosocOnDomChange(function () {
  const title = document.getElementById('page-title');
  const lang = document.getElementById('html-lang');
  const text = title && title.textContent;
  if (text && document.title !== text + ' · BoSoc Dashboard') { document.title = text + ' · BoSoc Dashboard'; }
  const code = lang && lang.textContent;
  if (code && document.documentElement.lang !== code) { document.documentElement.lang = code; }
});

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
    if (window.bosocChartHosts) { window.bosocChartHosts.now(gd); }  // a chart still waiting for its new figure
    // A chart whose legend is HTML (layout.meta.legend) is exported with plotly's legend, so the file names its lines.
    let figure = gd;
    if (gd.layout && gd.layout.meta && gd.layout.meta.legend === 'html') {
      const layout = Object.assign({}, gd.layout);
      delete layout.showlegend;  // plotly's own rule: a legend when there is more than one line
      const context = gd._context || {};
      figure = {data: gd.data, layout: layout, config: {locale: context.locale, locales: context.locales}};
    }
    return window.Plotly.downloadImage(figure, {
      format: format, filename: filenameFor(gd), width: 1200, height: 600, scale: format === 'png' ? 2 : 1
    });
  }
  window.bosocDownloadChart = download;
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
        const drawn = (arguments.length === 2 && data && !Array.isArray(data) && typeof data === 'object')
          ? original.call(plotly, gd, Object.assign({}, data, {config: withDownloadButtons(data.config)}))
          : original.call(plotly, gd, data, layout, withDownloadButtons(config));
        Promise.resolve(drawn).then(function () {
          if (window.bosocChartLegend) { window.bosocChartLegend.later(gd); }
          if (window.bosocChartHosts) { window.bosocChartHosts.drawn(gd); }
        });
        return drawn;
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
   here with text nodes only (never HTML), and rebuilt when the data changes. A host that is not shown (a closed "Vis
   som tabel", another tab) is built when it is first shown, from the data it carries then: a control change rewrites
   every table's data, and building the hidden ones was work on every click (about 15 ms of an area page's measure
   change, with its 22 closed tables). Before printing, every table is built. A table wider than its host (which
   scrolls sideways, see style.css) opens at its right end: the latest years or quarters, beside the sticky row
   headers. */
(function () {
  // Hosts whose table is not built from their current data. A ResizeObserver reports them once they have a size
  // (right away when shown, before the next paint; a hidden one when it is first shown), without forcing a layout.
  const waiting = new Set();
  const sized = new ResizeObserver(function (entries) {
    const shown = entries.filter(function (entry) { return entry.contentRect.width > 0; });
    const hosts = shown.map(function (entry) { return entry.target; });
    hosts.forEach(build);
    hosts.forEach(scrollToLatest);  // all the tables first, then one layout for the widths
  });
  function forget(host) {
    waiting.delete(host);
    sized.unobserve(host);
  }
  function scrollToLatest(host) {
    if (!host.__bosocOpenAtStart && host.scrollWidth > host.clientWidth) { host.scrollLeft = host.scrollWidth; }
  }
  const cell = window.bosocBuild.element;
  // A cell is text, or (components.chart.rich_table_spec) {text, href?, title?, strong?, small?}: a link only to an
  // http(s) address, a hover text, or a bold lead before the text; small text on a line of its own after it.
  function fill(element, value) {
    if (value === null || typeof value !== 'object') {
      element.textContent = value == null ? '' : String(value);
      return;
    }
    const text = value.text == null ? '' : String(value.text);
    const link = window.bosocBuild.link(text, value.href);
    if (value.strong) {
      element.appendChild(cell('strong', String(value.strong)));
      if (text) { element.appendChild(document.createTextNode(' ' + text)); }
    } else if (link) {
      element.appendChild(link);
    } else if (value.title) {
      element.appendChild(cell('span', text, {title: String(value.title)}));
    } else {
      element.textContent = text;
    }
    if (value.small) {
      element.appendChild(document.createElement('br'));
      element.appendChild(cell('small', String(value.small), {'class': 'text-muted fw-normal'}));
    }
  }
  function textOf(value) {
    if (value === null || typeof value !== 'object') { return value == null ? '' : String(value); }
    return [value.strong, value.text].filter(Boolean).join(' ');
  }
  function build(host) {
    forget(host);
    const data = window.bosocBuild.changedData(host, 'data-table', '__bosocTable');
    if (data === undefined) { return; }
    const numericColumns = Array.isArray(data.numeric) ? data.numeric : null;
    const isNumeric = function (i) {
      return numericColumns ? numericColumns.indexOf(i) >= 0 : (i > 0 && i >= (data.numericFrom || 1));
    };
    const widths = data.widths || {};
    const cellClasses = data.cellClasses || {};
    const table = document.createElement('table');
    table.className = data.className || 'table table-sm data-table';
    if (data.id) { table.id = String(data.id); }
    if (data.caption) { table.appendChild(cell('caption', data.caption)); }
    const headRow = document.createElement('tr');
    (data.header || []).forEach(function (text, i) {
      const attributes = {scope: 'col'};
      if (isNumeric(i)) { attributes['class'] = 'num'; }
      const th = cell('th', text, attributes);
      if (widths[i]) { th.style.minWidth = String(widths[i]); }
      headRow.appendChild(th);
    });
    const thead = document.createElement('thead');
    thead.appendChild(headRow);
    table.appendChild(thead);
    const tbody = document.createElement('tbody');
    (data.rows || []).forEach(function (row) {
      const tr = document.createElement('tr');
      const cells = Array.isArray(row) ? row : (row && row.cells) || [];
      if (row && !Array.isArray(row)) {
        if (row.className) { tr.className = String(row.className); }
        Object.keys(row.attrs || {}).forEach(function (name) {
          if (/^data-[a-z-]+$/.test(name)) { tr.setAttribute(name, String(row.attrs[name])); }
        });
      }
      cells.forEach(function (value, i) {
        if (i === 0) {
          const header = document.createElement('th');
          header.setAttribute('scope', 'row');
          if (value && typeof value === 'object' && (value.href || value.small)) {  // a title with its link (sources)
            fill(header, value);
            tr.appendChild(header);
            return;
          }
          // The name may wrap on a phone (style.css): after a "/" first (Frydenlund/Vandtårnsområdet), as text.
          const name = cell('span', '', {'class': 'row-name'});
          textOf(value).split('/').forEach(function (part, k) {
            if (k) { name.appendChild(document.createTextNode('/')); name.appendChild(document.createElement('wbr')); }
            name.appendChild(document.createTextNode(part));
          });
          header.appendChild(name);
          tr.appendChild(header);
          return;
        }
        const classes = [isNumeric(i) ? 'num' : '', cellClasses[i] || ''].filter(Boolean).join(' ');
        const attributes = {};
        if (textOf(value)) { attributes['data-label'] = (data.header || [])[i] || ''; }
        if (classes) { attributes['class'] = classes; }
        const td = cell('td', '', attributes);
        fill(td, value);
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    host.replaceChildren(table);
    host.__bosocOpenAtStart = Boolean(data.openAtStart);
  }
  function watchAll() {
    waiting.forEach(function (host) {  // left with its page
      if (!host.isConnected) { forget(host); }
    });
    document.querySelectorAll('[data-table]').forEach(function (host) {
      if (waiting.has(host) || host.__bosocTable === host.getAttribute('data-table')) { return; }
      // No stale numbers are left in a hidden table (find in page searches closed details). A shown one keeps its
      // table until it is rebuilt, before the next paint: emptied, the page would be shorter for a layout, and the
      // browser could move the reader's scroll position.
      if (host.__bosocTable && host.checkVisibility && !host.checkVisibility()) {
        host.replaceChildren();
        host.__bosocTable = null;
      }
      waiting.add(host);
      sized.observe(host);
    });
  }
  window.bosocOnDomChange(watchAll);
  window.addEventListener('beforeprint', function () {
    Array.from(waiting).forEach(build);
  });
  watchAll();
})();

/* A page whose one callback answers all of its chart cards (pages/area.py, where one control changes its 22-35
   charts). The cards' container carries the answer as JSON in data-view (components.chart.chart_view): per card,
   keyed by the data-chart-key of the element around its chart, the figure, download name, summary and table. Each
   card is updated here: one Dash output instead of four per card, since Dash 4 notifies every component of the page
   for each output it applies (that, and not the server, was most of the area page's measure change). The download
   name, summary (text nodes only) and table text are written at once; the table is built when shown (below). A new
   figure is handed to a chart on the screen at once, and to the others when the browser is idle, nearest first (the
   next ones down are drawn before a reader can scroll to them), or at once when they come on the screen, before
   printing and before a download: drawing every chart in one go made the reader, who sees two of them, wait for all
   22. The figure is handed through Dash (set_props), so Dash's state is what the chart shows. */
(function () {
  const waiting = new Set();  // chart hosts with a figure not handed to their chart yet
  const drawing = new Set();  // hosts whose figure is handed, not yet drawn by plotly.js
  const onScreen = new Set(); // hosts on the screen
  const watched = new WeakSet();
  const seen = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { onScreen.add(entry.target); } else { onScreen.delete(entry.target); }
    });
    entries.forEach(function (entry) {
      if (entry.isIntersecting && waiting.has(entry.target)) { hand(entry.target); }
    });
  });
  const idle = window.requestIdleCallback || function (callback) { return window.setTimeout(callback, 20); };
  let idleQueued = false;

  function dashId(host) {
    const element = host.querySelector('.dash-graph');
    const id = element && element.id;
    return id && id.charAt(0) === '{' ? JSON.parse(id) : id;
  }
  function hand(host) {
    waiting.delete(host);
    const figure = host.__bosocNext;
    const id = host.isConnected && dashId(host);  // a host left with its page: its id may be on the next page
    if (!figure || !id) { return; }
    host.__bosocNext = null;
    host.__bosocFigure = figure;
    drawing.add(host);
    window.dash_clientside.set_props(id, {figure: figure});
  }
  function distance(host) {
    const box = host.getBoundingClientRect();
    return Math.max(0, box.top - window.innerHeight, -box.bottom);
  }
  function handLater() {
    if (idleQueued || !waiting.size) { return; }
    idleQueued = true;
    idle(function () {
      idleQueued = false;
      // Two at a time: Dash draws the charts handed out together in one task after this one, 15-25 ms per chart, and
      // a task much longer than 50 ms would delay the reader's next click.
      Array.from(waiting).map(function (host) { return [distance(host), host]; })  // each measured once
        .sort(function (a, b) { return a[0] - b[0]; }).slice(0, 2).forEach(function (pair) { hand(pair[1]); });
      handLater();
    }, {timeout: 1000});
  }
  function offer(host, figure) {
    host.__bosocNext = figure;
    if (onScreen.has(host)) { hand(host); } else { waiting.add(host); handLater(); }
  }
  function setText(element, parts) {
    // Only a summary that changes is rewritten: each one is a live region, and a screen reader reads what changed.
    if (!element || element.textContent === (parts[0] || '') + (parts[1] || '')) { return; }
    const nodes = [document.createTextNode(parts[0] || '')];
    if (parts[1]) { nodes.push(document.createElement('br'), window.bosocBuild.element('small', parts[1])); }
    element.replaceChildren.apply(element, nodes);
  }
  function apply(container) {
    const view = window.bosocBuild.changedData(container, 'data-view', '__bosocView');  // "" at first: not JSON
    if (view === undefined) { return; }
    container.querySelectorAll('[data-chart-key]').forEach(function (host) {
      const part = view[host.getAttribute('data-chart-key')];
      const card = host.closest('.chart-card');
      if (!part || !card) { return; }  // a card the answer does not have (a page from before a data import)
      const button = card.querySelector('[data-filename]');
      if (button) { button.setAttribute('data-filename', part.filename); }
      setText(card.querySelector('.chart-summary'), [part.summary, part.note]);
      const table = card.querySelector('.chart-table [data-table]');
      if (table) { table.setAttribute('data-table', part.table); }
      offer(host, part.figure);
    });
  }
  function scan() {
    [waiting, drawing, onScreen].forEach(function (set) {
      set.forEach(function (host) {
        if (host.isConnected) { return; }
        waiting.delete(host);
        drawing.delete(host);
        onScreen.delete(host);
        seen.unobserve(host);
      });
    });
    document.querySelectorAll('[data-chart-key]').forEach(function (host) {
      if (!watched.has(host)) { watched.add(host); seen.observe(host); }
    });
    document.querySelectorAll('[data-view]').forEach(apply);
  }
  // The chart in ``gd`` has been drawn by plotly.js (called by the Plotly wrapper above).
  function drawn(gd) {
    const host = gd && gd.closest && gd.closest('[data-chart-key]');
    if (host && drawing.has(host) && host.__bosocFigure && gd.data === host.__bosocFigure.data) {
      drawing.delete(host);
    }
  }
  // Draw the chart in (or around) ``element`` with its new figure now, synchronously: printing and downloads cannot
  // wait. Dash gets the figure too, and its chart draws the same figure again later.
  function now(element) {
    const host = element && element.closest && element.closest('[data-chart-key]');
    if (!host || !(waiting.has(host) || drawing.has(host))) { return; }
    hand(host);
    const gd = host.querySelector('.js-plotly-plot');
    const figure = host.__bosocFigure;
    if (gd && figure && window.Plotly) { window.Plotly.react(gd, figure.data, figure.layout); }
  }
  window.bosocChartHosts = {
    drawn: drawn,
    now: now,
    // How many charts do not show their latest figure yet (``onScreenOnly``: of those on the screen).
    pending: function (onScreenOnly) {
      return Array.from(waiting).concat(Array.from(drawing)).filter(function (host) {
        return !onScreenOnly || onScreen.has(host);
      }).length;
    }
  };
  window.bosocOnDomChange(scan);
  window.addEventListener('beforeprint', function () {
    Array.from(waiting).concat(Array.from(drawing)).forEach(now);
  });
  scan();
})();

/* Definition blocks (components.chart.definition_block): the element carries definition, population, direction and
   sources as JSON in data-definition, and the paragraphs are built here with text nodes only; a source is a link
   only to an http(s) address. Built as soon as the block is on the page (find in page searches closed details), and
   again when its data changes (an indicator pick). */
(function () {
  const make = window.bosocBuild;
  function paragraph(label, parts) {
    const element = make.element('p', '');
    if (label) { element.appendChild(make.element('strong', label + ': ')); }
    parts.forEach(function (part) {
      element.appendChild(typeof part === 'string' ? document.createTextNode(part) : part);
    });
    return element;
  }
  function source(item) {
    const link = make.link(item.label, item.url, item.title);
    if (!link) { return make.element('span', item.label, item.title ? {title: item.title} : {}); }
    const span = make.element('span', '');
    span.appendChild(link);
    return span;
  }
  function build(host) {
    const data = window.bosocBuild.changedData(host, 'data-definition', '__bosocDefinition');
    if (data === undefined) { return; }
    const blocks = (data.rows || []).map(function (row) { return paragraph(row[0], [String(row[1] || '')]); });
    if (data.direction) { blocks.push(paragraph('', [data.direction])); }
    const sources = [];
    (data.sources || []).forEach(function (item) { sources.push(source(item), document.createElement('br')); });
    blocks.push(paragraph(data.sourcesLabel, sources));
    (data.after || []).forEach(function (row) {
      const text = String(row[1] || '');
      blocks.push(paragraph(row[0], [row[2] === 'code' ? make.element('code', text) : text]));
    });
    host.replaceChildren.apply(host, blocks);
  }
  function buildAll() { document.querySelectorAll('[data-definition]').forEach(build); }
  window.bosocOnDomChange(buildAll);
  buildAll();
})();

/* Chart legends in HTML (figures.timeseries: showlegend false, meta.legend 'html'). Built from the traces each time
   plotly has drawn the chart, into the card's .chart-legend element: one button per line (colour, dash and marker as
   in the chart, then the name) that hides or shows the line, as plotly's legend did. Text nodes only. */
(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const DASHES = {dash: '7,4', dot: '2,3', dashdot: '7,3,2,3', longdash: '11,4', longdashdot: '11,3,2,3'};
  function svgElement(tag, attributes) {
    const element = document.createElementNS(SVG, tag);
    Object.keys(attributes).forEach(function (name) { element.setAttribute(name, attributes[name]); });
    return element;
  }
  function swatch(trace) {
    const line = trace.line || {};
    const marker = trace.marker || {};
    const colour = line.color || marker.color || '#1f2933';
    const icon = svgElement('svg', {width: 36, height: 14, viewBox: '0 0 36 14', 'aria-hidden': 'true', focusable: 'false'});
    const stroke = {x1: 1, y1: 7, x2: 35, y2: 7, stroke: colour, 'stroke-width': Math.min(line.width || 2, 3)};
    if (DASHES[line.dash]) { stroke['stroke-dasharray'] = DASHES[line.dash]; }
    icon.appendChild(svgElement('line', stroke));
    if (String(trace.mode || '').indexOf('markers') < 0) { return icon; }  // a line drawn without markers
    const fill = marker.color || colour;
    if (marker.symbol === 'diamond') {
      icon.appendChild(svgElement('polygon', {points: '18,2 23,7 18,12 13,7', fill: fill}));
    } else if (marker.symbol === 'square') {
      icon.appendChild(svgElement('rect', {x: 14, y: 3, width: 8, height: 8, fill: fill}));
    } else {
      icon.appendChild(svgElement('circle', {cx: 18, cy: 7, r: 4.5, fill: fill}));
    }
    return icon;
  }
  function graphDiv(gd) { return typeof gd === 'string' ? document.getElementById(gd) : gd; }
  function legend(gd) {
    gd = graphDiv(gd);
    const layout = gd && gd.layout;
    if (!layout || !layout.meta || layout.meta.legend !== 'html') { return; }
    const card = gd.closest('.chart-card');
    const host = card && card.querySelector('.chart-legend');
    if (!host) { return; }
    const traces = (gd.data || []).map(function (trace, index) { return {trace: trace, index: index}; })
      .filter(function (item) { return item.trace.showlegend !== false && item.trace.name; });
    const key = JSON.stringify(traces.map(function (item) {
      const t = item.trace;
      return [t.name, t.visible, t.mode, t.line, t.marker && t.marker.symbol, t.marker && t.marker.color];
    }));
    if (host.__bosocLegend === key) { return; }
    host.__bosocLegend = key;
    if (traces.length < 2) { host.replaceChildren(); return; }
    const english = host.getAttribute('data-lang') === 'en';
    const list = document.createElement('ul');
    list.className = 'chart-legend-list';
    list.setAttribute('aria-label', english ? 'Lines in the chart' : 'Linjer i figuren');
    traces.forEach(function (item) {
      const shown = item.trace.visible !== 'legendonly' && item.trace.visible !== false;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'chart-legend-item';
      button.setAttribute('aria-pressed', shown ? 'true' : 'false');
      button.title = english ? 'Show or hide this line' : 'Vis eller skjul linjen';
      const name = document.createElement('span');
      name.textContent = item.trace.name;
      button.appendChild(swatch(item.trace));
      button.appendChild(name);
      button.addEventListener('click', function () {
        const visible = button.getAttribute('aria-pressed') === 'true' ? 'legendonly' : true;
        // With the line, the markers of its values that no line passes through (a trace of their own:
        // figures/timeseries.py, ISOLATED_OF).
        const indices = [item.index];
        (gd.data || []).forEach(function (trace, index) {
          if (trace.meta && trace.meta.isolatedOf === item.trace.name) { indices.push(index); }
        });
        Promise.resolve(window.Plotly.restyle(gd, {visible: visible}, indices)).then(function () { legend(gd); });
      });
      const entry = document.createElement('li');
      entry.appendChild(button);
      list.appendChild(entry);
    });
    host.replaceChildren(list);
  }
  // Legends are built together, once per frame: a page of 35 charts draws them one after another, and a legend
  // written into the page between two drawings makes the browser lay out the whole page again for the next chart
  // (the area page at 100x took twice as long).
  const pending = new Set();
  legend.later = function (gd) {
    if (!pending.size) {
      window.requestAnimationFrame(function () {
        const charts = Array.from(pending);
        pending.clear();
        charts.forEach(legend);
      });
    }
    pending.add(graphDiv(gd));
  };
  window.bosocChartLegend = legend;
})();

/* Routing (see dashboard/pages/__init__.py). The server renders a page when the app asks with route-request. The app
   asks once at start (a clientside callback) and here, after every navigation: a link inside the app (dcc.Link writes
   the address, then sends "_dashprivate_pushstate") and the browser's back and forward buttons ("popstate"). A control
   that writes its state into the address (dcc.Location with refresh=False) sends no event: the page has already
   updated itself, and nothing runs. The language switch is kept on the address shown. */
(function () {
  function address() { return window.location.pathname + window.location.search; }
  let shown = address();   // the address of the view on the screen
  let before = shown;      // the address before the latest history entry was written
  function followLanguageSwitch() {
    const link = document.getElementById('language-switch');
    if (!link) { return; }
    const params = new URLSearchParams(window.location.search);
    if (params.get('sprog') === 'en') { params.delete('sprog'); } else { params.set('sprog', 'en'); }
    const query = params.toString();
    link.setAttribute('href', window.location.pathname + (query ? '?' + query : ''));
  }
  ['pushState', 'replaceState'].forEach(function (name) {
    const original = window.history[name];
    window.history[name] = function () {
      before = address();
      const result = original.apply(this, arguments);
      shown = address();
      followLanguageSwitch();
      return result;
    };
  });
  function render() {
    shown = address();
    window.bosocRenders = (window.bosocRenders || 0) + 1;  // a page or view rendered anew (see indicatorView)
    followLanguageSwitch();
    window.dash_clientside.set_props('route-request', {
      data: {path: window.location.pathname, search: window.location.search}
    });
  }
  window.addEventListener('_dashprivate_pushstate', function () {
    if (address() !== before) { render(); }
  });
  window.addEventListener('popstate', function () {
    if (address() !== shown) { render(); }
  });
})();

/* The indicator page's controls (pages/indicator.py: register and answer). A Dash clientside callback with no outputs
   gets every change of the page's controls (areas, measure, years, gaps, tab) and of its indicator picker; when they
   differ from the view shown (data-shown of #indicator-view, which Dash holds), the page's address and controls are
   posted to the page's route (data-route), and the answer's parts are handed to the page's components with set_props:
   Dash's state is what the page shows, and a chart is drawn by its dcc.Graph. Only the newest question's answer is
   used, and only if the router has rendered nothing meanwhile. A control set here (a pick sets the new indicator's
   default view) is set to the view shown, without calling the callback again, and the answer's other parts are set
   the same way (setQuietly). */
(function () {
  const NOTICE = 'indicator-areas-notice';
  const VIEW = 'indicator-view';  // pages/indicator.VIEW_ID: the view shown (data-shown), where to ask (data-route)
  const SVG_BUTTON = {index: 'indicator-graph', type: 'svg-button'};
  let latest = 0;  // the newest question; an older answer arriving later is dropped
  // The newest answer's address, until it is written, after the frame that shows its chart (apply): {address,
  // renders}. A change made meanwhile (a click while the chart is drawn) is asked about this address.
  let pending = null;

  function set(id, props) { window.dash_clientside.set_props(id, props); }
  // Set props of a component that holds no other components, without calling the callbacks that listen to them: the
  // same prop change as set_props makes (its ON_PROP_CHANGE), through Dash's store (window.store; dash is pinned in
  // requirements.txt); where that is missing (or for an id that is not a string), set_props. set_props' other steps
  // change nothing here (no persistence; no components inside, so the paths stay), and they cost: each is a round of
  // store updates, and every round runs all the page's 65 components' selectors (0,08 ms here, 0,01 on the floor's
  // page of 4). For a control set to the view shown, the callback it would call (the page's, finding the controls
  // equal to data-shown) ran Dash's callback queue after the chart's drawing: about 8 ms on a pick (timeline, medians
  // of 40: drawn 29,4 ms, settled 37,4). For the answer's texts, figure and tables (no callback listens to them): a
  // pick 1,2 ms faster (interleaved A/B, 120 rounds, p50 29,8 -> 28,6 ms).
  function setQuietly(id, props) {
    const store = window.store;
    const paths = store && typeof store.dispatch === 'function' && (store.getState() || {}).paths;
    const path = paths && paths.strs && paths.strs[id];
    if (!path) { set(id, props); return; }
    store.dispatch({type: 'ON_PROP_CHANGE', payload: {props: props, itempath: path, renderType: 'clientsideApi'}});
  }
  function notice(text) {
    const element = document.getElementById(NOTICE);
    if (text) { set(NOTICE, {children: text, hidden: false}); }
    else if (element && !element.hidden) { set(NOTICE, {children: '', hidden: true}); }
  }
  // Set the page's controls to ``shown`` (the view shown), each only when its value differs from ``controls`` (what
  // they hold), quietly (setQuietly). ``extra``: more props for a control, set with it in one call (each is a round
  // of Dash's store updates). The year range is two selects (string values).
  function setControls(shown, controls, extra) {
    const years = shown.years || [];
    const held = controls.years || [];
    [['indicator-areas', 'value', shown.areas, controls.areas],
      ['indicator-measure', 'value', shown.measure, controls.measure],
      ['indicator-years-from', 'value', String(years[0]), String(held[0])],
      ['indicator-years-to', 'value', String(years[1]), String(held[1])],
      ['indicator-connect', 'value', shown.connect, controls.connect],
      ['indicator-tabs', 'active_tab', shown.tab, controls.tab],
      ['indicator-picker', 'value', shown.indicator, controls.indicator]].forEach(function (item) {
      const props = Object.assign({}, (extra || {})[item[0]]);
      if (JSON.stringify(item[3]) !== JSON.stringify(item[2])) { props[item[1]] = item[2]; }
      if (Object.keys(props).length) { setQuietly(item[0], props); }
    });
  }
  function apply(answer, controls) {
    if (answer.navigate) {  // an indicator without data: another page layout, rendered by the router
      set('url', {pathname: answer.navigate.path, search: answer.navigate.search});
      set('route-request', {data: {path: answer.navigate.path, search: answer.navigate.search}});
      return;
    }
    if (typeof answer.notice === 'string') { notice(answer.notice); }
    const page = answer.page;
    // A pick's answer has the area picker's options only when the new indicator's set of areas differs from the
    // page's (data-area-set, sent with the pick): a dropdown given its options again is drawn again (400 areas at
    // 100x). The page then holds the new set's name.
    const areasChange = Boolean(page && page.areaOptions);
    if (answer.shown) {
      const shown = {'data-shown': JSON.stringify(answer.shown)};
      if (areasChange) { shown['data-area-set'] = page.areaSet; }
      setQuietly(VIEW, shown);
    }
    const view = answer.view;
    if (view) {
      setQuietly('indicator-graph', {figure: view.figure});
      set(SVG_BUTTON, {'data-filename': view.filename});  // a dict id, which setQuietly hands to set_props anyway
      setQuietly('indicator-summary', {children: view.summary});
      setQuietly('indicator-chart-table', {'data-table': view.table});
      setQuietly('indicator-table-data', {'data-table': view.table});
    }
    if (page) {  // a pick: the page's texts, and its controls set to the new indicator's default view
      setQuietly('page-title', {children: page.title});
      setQuietly('indicator-heading', {children: page.heading});
      setQuietly('indicator-lead', {children: page.lead});
      setQuietly('indicator-card-title', {children: page.cardTitle});
      setQuietly('indicator-definition', {'data-definition': page.definition});
      const map = document.getElementById('indicator-map-host');
      if (map && map.getAttribute('data-filled')) {  // the other indicator's map: drawn again when its tab is opened
        set('indicator-map-host', {children: null, 'data-filled': ''});  // it holds components: set_props
      }
    }
    // A pick: the new indicator's default view (with the area picker's options, when they change). Otherwise the
    // controls already hold the view, but for a year range chosen backwards (from after to), shown in order.
    if (answer.shown) {
      const options = areasChange ? {'indicator-areas': {options: page.areaOptions}} : null;
      setControls(answer.shown, controls, options);
    }
    if (typeof answer.search === 'string') {
      // The address is written after the frame that shows the new chart (the reader sees the chart, not the
      // address): written in the same task (dcc.Location's pushState, and the language switch following it), it made
      // plotly's drawing about 4 ms slower (interleaved A/B, measure change p50 38 -> 33 ms); written in the next
      // task, it still ran before that frame (its Dash round and dcc.Location's render: 1,5-5 ms), so the chart was
      // painted later (time until the frame after the drawing, A/B of 60: pick p50 25,0 -> 23,1 ms, measure
      // 24,3 -> 21,7). The timeout: a hidden tab draws no frames (written a second later). Not when a newer answer or
      // a page rendered by the router (a link, Back) has come meanwhile.
      const address = answer.pathname ? {pathname: answer.pathname, search: answer.search} : {search: answer.search};
      const mine = pending = {address: address, renders: window.bosocRenders || 0};
      const write = function () {
        if (pending !== mine) { return; }
        pending = null;
        if ((window.bosocRenders || 0) === mine.renders) { set('url', address); }
      };
      window.requestAnimationFrame(function () { window.setTimeout(write, 0); });
      window.setTimeout(write, 1000);
    }
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.bosoc = Object.assign({}, window.dash_clientside.bosoc, {
    indicatorView: function (areas, measure, yearFrom, yearTo, connect, tab, picked, shownJson, pathname, search) {
      const host = document.getElementById(VIEW);
      let shown = null;
      try { shown = JSON.parse(shownJson); } catch (error) { shown = null; }
      if (!host || !shown) { return undefined; }
      if (pending && (window.bosocRenders || 0) === pending.renders) {  // an address about to be written (apply)
        pathname = pending.address.pathname || pathname;
        search = pending.address.search;
      }
      const years = [Number(yearFrom), Number(yearTo)];
      const controls = {areas: areas, measure: measure, years: years, connect: Boolean(connect), tab: tab};
      const held = Object.assign({indicator: picked}, controls);  // what every control holds, the picker too
      const pick = typeof picked === 'string' && picked !== shown.indicator;
      const same = Object.keys(controls).every(function (name) {
        return JSON.stringify(controls[name]) === JSON.stringify(shown[name]);
      });
      if (!pick && same) { return undefined; }  // the view shown (after a pick, or when the router inserts the page)
      const asked = ++latest;
      const renders = window.bosocRenders || 0;
      // An answer is used only if its question is the newest and no page or view has been rendered meanwhile (a link
      // or the back button: the routing above counts them).
      function current() { return asked === latest && (window.bosocRenders || 0) === renders; }
      window.fetch(host.getAttribute('data-route'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({
          pathname: pathname,
          search: search,
          controls: controls,
          picked: pick ? picked : null,
          areaSet: pick ? host.getAttribute('data-area-set') : null
        })
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (answer) {
        if (current()) { apply(answer, held); }
      }).catch(function () {
        // No answer (the server cannot be reached, or it refused): the view stays as it is, the page says so, and
        // the controls show that view again (a reader can try the same change again).
        if (!current()) { return; }
        notice(host.getAttribute('data-failed'));
        setControls(shown, held);
      });
      // At once, not with the answer: Dash's bookkeeping of the callback then runs while the server answers,
      // instead of after the answer is applied (measure and year changes 1,5-2,5 ms faster at p50, A/B).
      return undefined;
    }
  });
})();
