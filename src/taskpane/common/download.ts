/** The media type of an .xlsx file. */
export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * Offers bytes as a file to download: a Blob behind a link with `download`, clicked. Works in
 * browsers, Excel on the web and Excel on Windows (WebView2 shows its download bar); Excel
 * for Mac's WKWebView does not download from a task pane (OfficeDev/office-js #2700, "by
 * design"), so nothing appears there. The address is released a minute later, not at
 * once: some browsers cancel a download whose address is revoked while it starts.
 */
export function downloadBytes(fileName: string, bytes: Uint8Array, type = XLSX_TYPE): void {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.style.display = "none";
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
