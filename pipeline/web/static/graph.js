// Graph page: fetch the filtered graph as JSON, draw it with vis-network, open a node on click.
(function () {
  "use strict";
  var box = document.getElementById("network");
  var count = document.getElementById("graph-count");
  if (!box) return;
  function tip(text) {
    var d = document.createElement("div");
    d.style.whiteSpace = "pre-wrap"; d.style.maxWidth = "460px"; d.textContent = text || "";
    return d;
  }
  fetch(box.dataset.source, {headers: {"Accept": "application/json"}})
    .then(function (r) {
      if (!r.ok) throw new Error(r.status === 503 ? "Cơ sở dữ liệu đang bận, vui lòng thử lại sau." : "Lỗi " + r.status);
      return r.json();
    })
    .then(function (data) {
      if (!data.found) { count.textContent = "Không tìm thấy văn bản gốc đã nhập."; return; }
      if (!data.nodes.length) { count.textContent = "Không có văn bản nào khớp với bộ lọc."; return; }
      count.textContent = data.shown < data.total
        ? "Đang hiện " + data.shown + " trên " + data.total + " văn bản (những văn bản có nhiều quan hệ nhất); chọn văn bản gốc, cấp hoặc năm để xem đủ."
        : data.shown + " văn bản, " + data.edges.length + " quan hệ.";
      var nodes = new vis.DataSet(data.nodes.map(function (n) { return Object.assign({}, n, {title: tip(n.title)}); }));
      var edges = new vis.DataSet(data.edges.map(function (e) { return Object.assign({}, e, {title: tip(e.title)}); }));
      var perLevel = {};
      data.nodes.forEach(function (n) { perLevel[n.level] = (perLevel[n.level] || 0) + 1; });
      var layered = Math.max.apply(null, Object.keys(perLevel).map(function (k) { return perLevel[k]; })) <= 15;
      var network = new vis.Network(box, {nodes: nodes, edges: edges}, {
        layout: {hierarchical: {enabled: layered, direction: "UD", sortMethod: "directed", levelSeparation: 130, nodeSpacing: 190}},
        physics: {enabled: !layered, solver: "forceAtlas2Based", stabilization: {iterations: 250}},
        interaction: {hover: true, tooltipDelay: 120},
        nodes: {font: {size: 12}}, edges: {smooth: {type: "dynamic"}}
      });
      network.on("stabilizationIterationsDone", function () { network.setOptions({physics: false}); network.fit(); });
      network.on("click", function (params) {
        if (params.nodes.length) location.href = "/node/" + encodeURIComponent(params.nodes[0]);
      });
      window.kehoachNetwork = network;  // for the browser tests and the curious
      network.once("afterDrawing", function () { box.dataset.drawn = String(data.nodes.length); });
    })
    .catch(function (err) { count.textContent = err.message; });
})();
