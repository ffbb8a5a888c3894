/*
 * The board pack link in the Export dialog. In Excel on the web the link downloads in the
 * browser; desktop Excel shows dialogs in its own web view, so there the link is opened in the
 * user's browser instead, which downloads it.
 */
"use strict";
(function () {
  const link = document.getElementById("xl-addin-download");
  if (!link || typeof Office === "undefined") return;
  Office.onReady(() => {
    const ui = Office.context && Office.context.ui;
    const web = Office.context && Office.context.platform === "OfficeOnline";
    if (web || !ui || typeof ui.openBrowserWindow !== "function") return;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      ui.openBrowserWindow(link.href);
    });
  });
})();
