// Graphs: each figure.graph[data-series] inside a .graph-board (a host page, a dashboard) is drawn from
// /monitoring/graph; on a host page the board's data-ci is added to every selector
// (M4 columns: first, last, min, max per pixel). The line goes through each column's points and
// the band spans min..max, so no peak disappears whatever the range.
(function () {
  'use strict';
  const COLORS = ['#4263eb', '#0c8599', '#e8590c', '#5f3dc4'];
  const RANGES = { '1h': 3600e3, '6h': 6 * 3600e3, '24h': 24 * 3600e3, '7d': 7 * 24 * 3600e3 };

  function selector(ci, series) {
    if (!ci) return series;
    const brace = series.indexOf('{');
    if (brace < 0) return series + '{ci="' + ci + '"}';
    return series.slice(0, brace + 1) + 'ci="' + ci + '",' + series.slice(brace + 1);
  }

  function format(value, unit) {
    if (value == null || isNaN(value)) return '—';
    if (unit === 'B/s') {
      const units = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s'];
      let i = 0;
      while (Math.abs(value) >= 1024 && i < units.length - 1) { value /= 1024; i++; }
      return value.toFixed(1) + ' ' + units[i];
    }
    if (unit === '%') return (Math.abs(value) >= 10 ? value.toFixed(0) : value.toFixed(1)) + '%';
    return (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2)) + (unit ? ' ' + unit : '');
  }

  function draw(figure, ci, rangeMs) {
    const canvas = figure.querySelector('.graph-canvas');
    const chart = echarts.getInstanceByDom(canvas) || echarts.init(canvas);
    const unit = figure.dataset.unit || '';
    const to = new Date();
    const from = new Date(to.getTime() - rangeMs);
    const width = Math.max(50, Math.min(2000, Math.round(canvas.clientWidth || 400)));
    const url = '/monitoring/graph?series=' + encodeURIComponent(selector(ci, figure.dataset.series))
      + '&from=' + from.toISOString() + '&to=' + to.toISOString() + '&width=' + width;
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(r => r.ok ? r.json() : Promise.reject(r.status))
      .then(answer => {
        const lines = [];
        const bands = [];
        (answer.series || []).forEach((s, n) => {
          const line = [];
          const low = [];
          const span = [];
          s.columns.forEach(c => {
            const t = new Date(c.time).getTime();
            line.push([t, c.first], [t, c.min], [t, c.max], [t, c.last]);
            low.push([t, c.min]);
            span.push([t, c.max - c.min]);
          });
          const name = answer.series.length > 1 ? s.series : figure.querySelector('figcaption').textContent;
          const color = COLORS[n % COLORS.length];
          lines.push({ type: 'line', name: name, data: line, showSymbol: false, lineStyle: { width: 1.2, color: color },
            itemStyle: { color: color }, z: 3 });
          bands.push({ type: 'line', stack: 'band' + n, data: low, showSymbol: false, lineStyle: { opacity: 0 }, silent: true,
              tooltip: { show: false }, z: 1 },
            { type: 'line', stack: 'band' + n, data: span, showSymbol: false, lineStyle: { opacity: 0 }, silent: true,
              tooltip: { show: false }, areaStyle: { opacity: 0.15, color: color }, z: 1 });
        });
        figure.dataset.points = String(lines.reduce((sum, l) => sum + l.data.length, 0));
        chart.setOption({
          animation: false,
          grid: { left: 6, right: 14, top: 12, bottom: 36, containLabel: true },
          tooltip: { trigger: 'axis', valueFormatter: v => format(v, unit) },
          xAxis: { type: 'time', min: from.getTime(), max: to.getTime(), splitNumber: 4, axisLabel: { hideOverlap: true } },
          yAxis: { type: 'value', scale: unit !== '%', max: unit === '%' ? 100 : null, min: unit === '%' ? 0 : null,
                   interval: unit === '%' ? 25 : null, splitNumber: 4, axisLabel: { formatter: v => format(v, unit) } },
          dataZoom: [{ type: 'inside' }, { type: 'slider', height: 14, bottom: 6 }],
          series: bands.concat(lines)
        }, true);
        figure.classList.toggle('no-data', lines.length === 0);
      })
      .catch(() => figure.classList.add('no-data'));
  }

  function drawAll(container, range) {
    const ci = container.dataset.ci;
    container.querySelectorAll('figure.graph').forEach(f => draw(f, ci, RANGES[range]));
  }

  document.addEventListener('DOMContentLoaded', () => {
    if (typeof echarts === 'undefined') return;
    document.querySelectorAll('.graph-board').forEach(container => {
      let range = '6h';
      container.querySelectorAll('[data-range]').forEach(b => b.addEventListener('click', () => {
        range = b.dataset.range;
        container.querySelectorAll('[data-range]').forEach(o => o.classList.toggle('active', o === b));
        drawAll(container, range);
      }));
      drawAll(container, range);
    });
    window.addEventListener('resize', () => document.querySelectorAll('.graph-canvas').forEach(c => {
      const chart = echarts.getInstanceByDom(c);
      if (chart) chart.resize();
    }));
  });
})();
