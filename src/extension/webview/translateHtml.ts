// The HTML shell of the translation view and the snippet picker (dist/translate.js): the same
// strict Content-Security-Policy as the summary panel (html.ts): no inline code, the one script
// allowed by nonce, styles only from the extension's own resources. Every piece of user text
// arrives later by postMessage and is rendered as text. Pure, so the browser tests load it too.

import type { WebviewHtmlOptions } from './html';

export function renderTranslateHtml(o: WebviewHtmlOptions & { title: string }): string {
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
