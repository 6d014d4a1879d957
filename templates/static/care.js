/* Before the first paint, so nothing on the page moves once it is shown (a file, not an inline
   script: the sites' CSP allows none): `js` when scripts run (the 关怀模式 button is then shown
   from the start), `care` for 关怀模式 remembered from an earlier page, and `has-query` on a
   search page asked for results (their place is kept until they arrive). */
(function (root) {
  var add = " js";
  try { if (localStorage.getItem("care") === "1") { add += " care"; } } catch (e) {}
  if (/[?&]q=[^&]/.test(location.search)) { add += " has-query"; }
  root.className += add;
}(document.documentElement));
