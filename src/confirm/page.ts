// The approval page as HTML: the fixed facts first, then every field that will be sent, then Approve/Deny.
// Plain forms (no JavaScript); every piece of agent text is escaped and shown as quoted data.
import type { Preview } from './preview.js';

export type PageState = 'pending' | 'login' | 'approved' | 'denied' | 'expired' | 'decided' | 'cancelled' | 'unclaimed';

export interface PageInput {
  preview: Preview;
  state: PageState;
  /** Per-page secret the form posts back (absent once decided). */
  pageToken?: string;
  /** Nonce allowed by the Content-Security-Policy for the one inline style sheet. */
  nonce: string;
  expiresAt: number;
  /** Remote mode: why the last sign-in was refused. */
  notice?: string;
  /** Remote mode with sign-in at the issuer: a link that starts it, instead of the token form. */
  signIn?: SignInLink;
}

export interface SignInLink {
  /** Our own path that sends the browser on to the issuer. */
  url: string;
  /** Where people sign in (the issuer's host), named on the page. */
  issuer: string;
}

const OUTCOMES: Record<Exclude<PageState, 'pending' | 'login'>, { title: string; text: string }> = {
  approved: { title: 'Approved', text: 'You approved this action. It is being sent now; you can close this page.' },
  denied: { title: 'Denied', text: 'You denied this action. Nothing was done; you can close this page.' },
  expired: { title: 'Expired', text: 'This request expired before a decision. Nothing was done. Ask the assistant again if it is still needed.' },
  decided: { title: 'Already decided', text: 'This request was already decided. Nothing more will happen from this page.' },
  cancelled: { title: 'Cancelled', text: 'The assistant cancelled this request. Nothing was done.' },
  unclaimed: {
    title: 'Not carried out',
    text: 'Your approval was recorded, but the call waiting for it did not take it up in time (its server stopped, or lost the shared state). Nothing was done; ask the assistant again if it is still needed.',
  },
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderPage(input: PageInput): string {
  const { preview } = input;
  const facts = preview.facts.map((fact) => `<li>${escapeHtml(fact)}</li>`).join('');
  const rows = preview.rows
    .map(
      (row) =>
        `<tr><th scope="row">${escapeHtml(row.label)}</th><td><code>${escapeHtml(row.value)}</code>${row.note ? `<div class="note">${escapeHtml(row.note)}</div>` : ''}</td></tr>`,
    )
    .join('');
  // Before sign-in (remote mode) the page shows only what kind of action waits: numbers, texts and URLs
  // are for the person who signs in, not for whoever holds the link.
  const details = `<section aria-labelledby="what">
<h2 id="what">What will happen</h2>
<p class="summary">${escapeHtml(preview.summary)}</p>
<p class="request">Request: <code>${escapeHtml(preview.request)}</code></p>
${rows ? `<table><caption>Every field that will be sent (text from the assistant is shown in quotes)</caption><tbody>${rows}</tbody></table>` : ''}
</section>`;
  const notice = input.notice ? `<p class="notice" role="alert">${escapeHtml(input.notice)}</p>` : '';
  const body =
    input.state === 'login' && input.signIn
      ? `${notice}<p>Sign in to decide, with your own account at ${escapeHtml(input.signIn.issuer)} (the model cannot sign in: it has no account there).</p>
<div class="buttons"><a class="button approve" href="${escapeHtml(input.signIn.url)}">Sign in</a></div>`
      : input.state === 'login'
      ? `${notice}<form method="post">
  <p>Sign in to decide. Use your own access token for this server (the model cannot sign in: it does not hold one).</p>
  <label for="login_token">Access token</label>
  <input id="login_token" name="login_token" type="password" autocomplete="off" required>
  <div class="buttons"><button type="submit" class="approve">Sign in</button></div>
</form>`
      : input.state === 'pending'
      ? `${notice}<form method="post">
  <input type="hidden" name="token" value="${escapeHtml(input.pageToken ?? '')}">
  <p class="expiry">Decide before ${escapeHtml(new Date(input.expiresAt).toISOString().replace('T', ' ').slice(0, 19))} UTC. Nothing is sent until you approve.</p>
  <div class="buttons">
    <button type="submit" name="decision" value="deny" class="deny" autofocus>Deny</button>
    <button type="submit" name="decision" value="approve" class="approve">Approve</button>
  </div>
</form>`
      : `<p class="outcome" role="status"><strong>${OUTCOMES[input.state].title}.</strong> ${OUTCOMES[input.state].text}</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>Approve: ${escapeHtml(preview.title)} · Sinch Calling MCP</title>
<style nonce="${input.nonce}">${STYLE}</style>
</head>
<body>
<main>
<p class="brand">Sinch Calling MCP · approval requested by your AI assistant</p>
<h1>${escapeHtml(preview.title)}</h1>
<ul class="facts" aria-label="Facts from the server">${facts}</ul>
${input.state === 'login' ? '' : details}
${body}
</main>
</body>
</html>
`;
}

const STYLE = `
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f4f5f7}
main{max-width:44rem;margin:2rem auto;background:#fff;border:1px solid #d8dce1;border-radius:12px;padding:1.5rem 2rem;box-shadow:0 1px 3px rgba(0,0,0,.06)}
.brand{margin:0;color:#5b6470;font-size:.85rem}
h1{font-size:1.5rem;margin:.4rem 0 1rem}
h2{font-size:1rem;margin:1.2rem 0 .4rem}
.facts{list-style:none;margin:0;padding:.8rem 1rem;background:#fff4e5;border:1px solid #f0b35b;border-radius:8px;font-weight:600}
.facts li+li{margin-top:.3rem}
.summary{margin:.2rem 0}
.request{color:#5b6470;font-size:.9rem}
table{width:100%;border-collapse:collapse;margin-top:.5rem;font-size:.92rem}
caption{text-align:left;color:#5b6470;font-size:.85rem;padding-bottom:.3rem}
th{text-align:left;vertical-align:top;padding:.35rem .8rem .35rem 0;white-space:nowrap;color:#3a424c;font-weight:500}
td{padding:.35rem 0;border-top:1px solid #eceef1;overflow-wrap:anywhere}
th{border-top:1px solid #eceef1}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-word}
.note{color:#5b6470;font-size:.85rem}
.expiry{color:#5b6470;font-size:.85rem;margin-top:1.2rem}
.buttons{display:flex;gap:.8rem;justify-content:flex-end}
button,a.button{font:inherit;text-decoration:none;font-weight:600;padding:.6rem 1.4rem;border-radius:8px;border:1px solid #9aa3ad;background:#fff;cursor:pointer}
button.approve,a.approve{background:#0b6b3a;border-color:#0b6b3a;color:#fff}
button:focus-visible{outline:3px solid #2563eb;outline-offset:2px}
.outcome{margin-top:1.2rem;padding:.8rem 1rem;border-radius:8px;background:#eef2f6}
.notice{margin-top:1.2rem;padding:.8rem 1rem;border-radius:8px;background:#fdecec;border:1px solid #e5a1a1}
label{display:block;font-weight:600;margin:.8rem 0 .3rem}
input[type=password]{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;border:1px solid #9aa3ad;border-radius:6px;margin-bottom:.8rem}
`;
