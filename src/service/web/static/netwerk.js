// The network picture of a case: the nodes and edges the page carries (the same as GET /api/v1/cases/{id}/network)
// drawn with Cytoscape.js; pointing at a node says where it comes from; filters by kind; export as SVG and PNG.
// Without scripts the page shows the same edges and nodes as tables.
(function () {
  "use strict";
  var COLOURS = {
    person: "#1f5f99", organisation: "#7a3b00", address: "#2e6b30",
    vehicle: "#5a4a8a", permit: "#6b6b6b", decision: "#a4001e"
  };
  var SHAPES = {
    person: "ellipse", organisation: "round-rectangle", address: "diamond",
    vehicle: "hexagon", permit: "rectangle", decision: "octagon"
  };

  function start() {
    var holder = document.getElementById("netwerk-beeld");
    if (typeof window.cytoscape !== "function" || !holder) { return; }
    fetch(holder.dataset.gegevens, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("netwerkbeeld: " + response.status); }
        return response.json();
      })
      .then(function (data) { draw(holder, data); });
  }

  function draw(holder, data) {
    var info = document.getElementById("netwerk-info");
    holder.hidden = false;
    var elements = data.nodes.map(function (node) {
      return { group: "nodes", data: { id: node.id, label: node.label, kind: node.kind, kindLabel: node.kindLabel,
        origins: node.originLabels.join(", "), detail: node.detail } };
    }).concat(data.edges.map(function (edge) {
      return { group: "edges", data: { id: edge.id, source: edge.source, target: edge.target, label: edge.roleLabel } };
    }));
    var style = [
      { selector: "node", style: { "label": "data(label)", "font-size": 13, "text-wrap": "wrap", "text-max-width": 150,
        "text-valign": "bottom", "text-margin-y": 4, "color": "#1a1a1a", "width": 26, "height": 26 } },
      { selector: "edge", style: { "label": "data(label)", "font-size": 11, "width": 1.5, "line-color": "#8a8a8a",
        "target-arrow-color": "#8a8a8a", "target-arrow-shape": "triangle", "curve-style": "bezier",
        "text-rotation": "autorotate", "text-background-color": "#ffffff", "text-background-opacity": 1,
        "text-background-padding": 1, "color": "#333333" } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#000000" } }
    ];
    Object.keys(COLOURS).forEach(function (kind) {
      style.push({ selector: 'node[kind = "' + kind + '"]',
        style: { "background-color": COLOURS[kind], "shape": SHAPES[kind] } });
    });
    var cy = window.cytoscape({
      container: document.getElementById("netwerk"), elements: elements, style: style,
      layout: { name: "cose", animate: false, randomize: false, nodeDimensionsIncludeLabels: true,
        nodeRepulsion: function () { return 20000; }, idealEdgeLength: function () { return 60; },
        componentSpacing: 30, padding: 20 }
    });
    window.bibobNetwork = cy;  // for the browser test: what is drawn

    function describe(node) {
      var text = node.data("label") + " (" + node.data("kindLabel") + ") — herkomst: " + node.data("origins");
      return node.data("detail") ? text + ". " + node.data("detail") : text;
    }
    cy.on("mouseover tap", "node", function (event) { info.textContent = describe(event.target); });

    document.getElementById("netwerk-filters").addEventListener("change", function () {
      var shown = {};
      document.querySelectorAll('input[name="soort"]').forEach(function (box) { shown[box.value] = box.checked; });
      cy.batch(function () {
        cy.nodes().forEach(function (node) {
          if (shown[node.data("kind")]) { node.style("display", "element"); } else { node.style("display", "none"); }
        });
      });
    });

    function download(blob, name) {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    }
    function escape(text) {
      return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
    }
    function svg() {  // our own serialisation of what is shown: lines, arrows' labels, nodes and their labels
      var box = cy.elements(":visible").boundingBox();
      var pad = 40, width = Math.ceil(box.w + 2 * pad), height = Math.ceil(box.h + 2 * pad);
      var dx = pad - box.x1, dy = pad - box.y1;
      var parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="' + width + '" height="' + height +
        '" viewBox="0 0 ' + width + " " + height + '" font-family="sans-serif">',
        '<rect width="100%" height="100%" fill="#ffffff"/>'];
      cy.edges(":visible").forEach(function (edge) {
        var a = edge.source().position(), b = edge.target().position();
        var x1 = a.x + dx, y1 = a.y + dy, x2 = b.x + dx, y2 = b.y + dy;
        parts.push('<g class="edge"><line x1="' + x1 + '" y1="' + y1 + '" x2="' + x2 + '" y2="' + y2 +
          '" stroke="#8a8a8a" stroke-width="1.5"/><text x="' + (x1 + x2) / 2 + '" y="' + (y1 + y2) / 2 +
          '" font-size="9" text-anchor="middle" fill="#333333">' + escape(edge.data("label")) + "</text></g>");
      });
      cy.nodes(":visible").forEach(function (node) {
        var p = node.position(), x = p.x + dx, y = p.y + dy;
        parts.push('<g class="node"><title>' + escape(describe(node)) + '</title><circle cx="' + x + '" cy="' + y +
          '" r="13" fill="' + COLOURS[node.data("kind")] + '"/><text x="' + x + '" y="' + (y + 26) +
          '" font-size="11" text-anchor="middle" fill="#1a1a1a">' + escape(node.data("label")) + "</text></g>");
      });
      parts.push("</svg>");
      return parts.join("\n");
    }
    window.bibobNetworkSvg = svg;
    document.getElementById("bewaar-svg").addEventListener("click", function () {
      download(new Blob([svg()], { type: "image/svg+xml" }), "netwerkbeeld.svg");
    });
    document.getElementById("bewaar-png").addEventListener("click", function () {
      download(cy.png({ output: "blob", bg: "#ffffff", full: true, scale: 2 }), "netwerkbeeld.png");
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
