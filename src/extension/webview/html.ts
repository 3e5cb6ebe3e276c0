// The webviews' HTML shell (summary, translation, snippets): a strict Content-Security-Policy (no inline code, the
// one script allowed by nonce, styles and images only from the webview's own resources).
// No user data is ever written here: it arrives by postMessage and is rendered as text.
// Pure (no vscode import) so the browser tests load the very same page.

export interface WebviewHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

export function renderSummaryHtml(o: WebviewHtmlOptions): string {
  return renderWebviewHtml({ ...o, title: 'Model summary' });
}

/** The page of a webview whose script builds everything: the title, one script, one stylesheet. */
export function renderWebviewHtml(o: WebviewHtmlOptions & { title: string }): string {
  const attr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const csp = [
    "default-src 'none'",
    `style-src ${o.cspSource}`,
    `img-src ${o.cspSource} data:`,
    `font-src ${o.cspSource}`,
    `script-src 'nonce-${o.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>${attr(o.title)}</title>
</head>
<body>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>
`;
}

/** 32 characters from [A-Za-z0-9], fresh for every page. */
export function makeNonce(random: (n: number) => Uint8Array): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(random(32), (b) => chars[b % chars.length]).join('');
}
