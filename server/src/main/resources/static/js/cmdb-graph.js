// The CMDB impact graph, drawn with ECharts. Each element with data-impact-graph names its JSON in
// data-graph-url (an ImpactGraph: root, nodes, edges) and its words in data-labels; a clicked
// node opens that CI. Loaded only on pages with a graph, after echarts.min.js (both deferred).
(function () {
  'use strict';

  // Calm, distinguishable colours for the built-in classes; other classes get one from the rest.
  var CLASS_COLOURS = {
    BusinessService: '#dc6803', Application: '#4f5bd5', Database: '#0f9d75', VirtualMachine: '#a855f7',
    Server: '#0284c7', NetworkDevice: '#475569', StorageDevice: '#a16207', Rack: '#94a3b8', Datacenter: '#1e293b'
  };
  var SPARE_COLOURS = ['#be185d', '#15803d', '#9333ea', '#b45309', '#0e7490', '#4d7c0f', '#9f1239'];
  // Beyond this many nodes labels show on hover only, so the graph stays readable.
  var LABEL_LIMIT = 60;

  function colourOf(className) {
    if (CLASS_COLOURS[className]) {
      return CLASS_COLOURS[className];
    }
    var hash = 0;
    for (var i = 0; i < className.length; i++) {
      hash = (hash * 31 + className.charCodeAt(i)) | 0;
    }
    return SPARE_COLOURS[Math.abs(hash) % SPARE_COLOURS.length];
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function option(graph, labels) {
    var all = [graph.root].concat(graph.nodes);
    var many = all.length > LABEL_LIMIT;
    var classes = [];
    all.forEach(function (n) {
      if (classes.indexOf(n['class']) < 0) {
        classes.push(n['class']);
      }
    });
    var categories = classes.map(function (c) {
      return { name: labels.classes[c] || c, itemStyle: { color: colourOf(c) } };
    });
    var nodes = all.map(function (n) {
      var root = n.id === graph.root.id;
      // Business services are what people ask about: larger, and always labelled.
      var service = n['class'] === 'BusinessService';
      return {
        id: String(n.id), name: n.name, ciId: n.id, ciClass: n['class'], state: n.state, depth: n.depth,
        category: classes.indexOf(n['class']),
        symbolSize: root ? 30 : service ? (many ? 14 : 18) : Math.max(many ? 8 : 12, 18 - 2 * n.depth),
        itemStyle: root ? { borderColor: '#1d2129', borderWidth: 3, shadowBlur: 8, shadowColor: 'rgba(16,24,40,.25)' }
          : { borderColor: '#fff', borderWidth: 1 },
        label: root ? { show: true, fontWeight: 'bold', fontSize: 13 } : service ? { show: true, fontWeight: 'bold' } : undefined,
        fixed: false
      };
    });
    var links = graph.edges.map(function (e) {
      return { source: String(e.source), target: String(e.target), relation: e.type };
    });
    return {
      animationDuration: 400,
      tooltip: {
        confine: true,
        formatter: function (p) {
          if (p.dataType === 'edge') {
            var from = nodes.find(function (n) { return n.id === p.data.source; });
            var to = nodes.find(function (n) { return n.id === p.data.target; });
            return escapeHtml(from.name) + ' <b>' + escapeHtml(labels.types[p.data.relation] || p.data.relation)
              + '</b> ' + escapeHtml(to.name);
          }
          var d = p.data;
          return '<b>' + escapeHtml(d.name) + '</b><br>' + escapeHtml(labels.classes[d.ciClass] || d.ciClass)
            + '<br>' + escapeHtml(labels.words.state) + ': ' + escapeHtml(d.state)
            + '<br>' + (d.depth === 0 ? escapeHtml(labels.words.root) : escapeHtml(labels.words.depth) + ': ' + d.depth)
            + '<br><span style="color:#8e95a2">' + escapeHtml(labels.words.open) + '</span>';
        }
      },
      legend: [{ top: 6, left: 10, icon: 'circle', itemWidth: 10, itemHeight: 10, textStyle: { color: '#646b78' },
        data: categories.map(function (c) { return c.name; }) }],
      series: [{
        type: 'graph', layout: 'force', roam: true, draggable: true, categories: categories,
        data: nodes, links: links, top: 48, bottom: 12, left: 12, right: 12, zoom: many ? 0.9 : 1,
        edgeSymbol: ['none', 'arrow'], edgeSymbolSize: [0, 6],
        lineStyle: { color: '#b8bec9', width: 1, curveness: 0.08, opacity: 0.9 },
        label: { show: !many, position: 'right', fontSize: 11, color: '#1d2129' },
        labelLayout: { hideOverlap: true },
        emphasis: { focus: 'adjacency', label: { show: true }, lineStyle: { width: 2, color: '#4f5bd5' } },
        // Repulsion shrinks as the graph grows, so a few hundred nodes still fit the canvas.
        force: {
          repulsion: Math.max(30, Math.min(300, 14000 / all.length)),
          edgeLength: many ? [15, 50] : [60, 120], gravity: many ? 0.2 : 0.06, friction: 0.2,
          layoutAnimation: all.length <= 400
        }
      }]
    };
  }

  function draw(el) {
    var labels = JSON.parse(el.getAttribute('data-labels') || '{"classes":{},"types":{},"words":{}}');
    fetch(el.getAttribute('data-graph-url'), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        return response.json();
      })
      .then(function (graph) {
        var chart = echarts.init(el, null, { renderer: 'canvas' });
        chart.setOption(option(graph, labels));
        chart.on('click', function (p) {
          if (p.dataType === 'node') {
            window.location.href = el.getAttribute('data-ci-url') + p.data.ciId;
          }
        });
        window.addEventListener('resize', function () { chart.resize(); });
        el.setAttribute('data-nodes', String(graph.nodes.length + 1));
      })
      .catch(function (error) {
        el.classList.add('failed');
        el.textContent = (labels.words.failed || 'The graph could not be loaded') + ' (' + error.message + ')';
      });
  }

  document.querySelectorAll('[data-impact-graph]').forEach(draw);
})();
