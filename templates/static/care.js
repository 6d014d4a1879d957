/* 关怀模式 before the first paint: the class is set while the page is still loading, so text
   never jumps from small to large. (A file, not an inline script: the sites' CSP allows none.) */
try { if (localStorage.getItem("care") === "1") { document.documentElement.className += " care"; } } catch (e) {}
