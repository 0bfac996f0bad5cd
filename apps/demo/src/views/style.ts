/** The demo's one stylesheet, served at /assets/style.css (the CSP allows styles from 'self' only). */
export const STYLE = `
:root{--bg:#f5f6fa;--card:#fff;--ink:#172033;--muted:#5d6b82;--line:#e3e7ef;--brand:#4f46e5;--brand-ink:#fff;
--brand-soft:#eef0ff;--ok:#0f7b4f;--ok-soft:#e6f6ee;--warn:#9a5b00;--warn-soft:#fff4e0;--bad:#b42318;--bad-soft:#fdecea;
--radius:14px;--shadow:0 1px 2px rgba(16,24,40,.06),0 4px 16px rgba(16,24,40,.06)}
@media (prefers-color-scheme:dark){:root{--bg:#0e1320;--card:#161c2c;--ink:#e7ebf3;--muted:#9aa6bd;--line:#263049;
--brand:#818cf8;--brand-ink:#0e1320;--brand-soft:#1f2545;--ok:#4ade80;--ok-soft:#10291d;--warn:#fbbf24;--warn-soft:#2c2210;
--bad:#f87171;--bad-soft:#2f1515;--shadow:none}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.55 ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--brand);text-decoration:none}a:hover{text-decoration:underline}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em}
code{background:var(--brand-soft);padding:.08rem .35rem;border-radius:6px}
.top{background:var(--card);border-bottom:1px solid var(--line)}
.top .inner{max-width:60rem;margin:0 auto;padding:.8rem 1.25rem;display:flex;align-items:center;gap:1rem}
.brand{display:flex;align-items:center;gap:.55rem;font-weight:700;color:var(--ink);font-size:1.05rem}
.brand:hover{text-decoration:none}
.logo{display:grid;grid-template-columns:repeat(2,9px);gap:3px}
.logo i{display:block;width:9px;height:9px;border-radius:2px;background:var(--brand)}
.logo i:nth-child(2),.logo i:nth-child(3){opacity:.45}
nav{margin-left:auto;display:flex;align-items:center;gap:.35rem;flex-wrap:wrap}
nav a{color:var(--muted);padding:.4rem .7rem;border-radius:8px;font-weight:500}
nav a:hover,nav a[aria-current=page]{background:var(--brand-soft);color:var(--brand);text-decoration:none}
.who{display:flex;align-items:center;gap:.45rem;margin-left:.5rem;color:var(--muted)}
.avatar{width:28px;height:28px;border-radius:50%;display:grid;place-items:center;background:var(--brand);color:var(--brand-ink);font-weight:700;font-size:.85rem;text-transform:uppercase}
main{max-width:60rem;margin:0 auto;padding:2rem 1.25rem 3rem}
h1{font-size:1.7rem;line-height:1.25;margin:.2rem 0 .4rem;letter-spacing:-.01em}
h2{font-size:1.05rem;margin:0 0 .8rem}
.lead{color:var(--muted);margin:0 0 1.6rem;max-width:42rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(17rem,1fr));gap:1.1rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);box-shadow:var(--shadow);padding:1.25rem 1.35rem}
.card.narrow{max-width:26rem;margin:0 auto}
dl.facts{display:grid;grid-template-columns:auto 1fr;gap:.45rem 1rem;margin:0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;text-align:right;font-variant-numeric:tabular-nums}
.counter{display:flex;align-items:center;justify-content:space-between;gap:1rem}
.big{font-size:2.8rem;font-weight:750;letter-spacing:-.02em;font-variant-numeric:tabular-nums}
.row{display:flex;gap:.6rem;align-items:center;flex-wrap:wrap}
.muted{color:var(--muted)}.small{font-size:.87rem}
form.stack{display:grid;gap:.9rem}
label{display:grid;gap:.3rem;font-weight:600;font-size:.92rem}
input[type=text],input[type=password]{font:inherit;padding:.6rem .75rem;border:1px solid var(--line);border-radius:10px;background:var(--bg);color:var(--ink)}
input:focus-visible,button:focus-visible{outline:3px solid color-mix(in srgb,var(--brand) 35%,transparent);outline-offset:1px}
.hint{font-weight:400;color:var(--muted);font-size:.82rem}
label.check{display:flex;align-items:center;gap:.5rem;font-weight:400}
button,.button{font:inherit;font-weight:600;border:1px solid transparent;border-radius:10px;padding:.55rem 1rem;cursor:pointer;background:var(--brand);color:var(--brand-ink);display:inline-block}
.button:hover{text-decoration:none}
button.secondary,.button.secondary{background:var(--card);color:var(--ink);border-color:var(--line)}
button.danger{background:var(--bad);color:#fff}
button.link{background:none;border:none;color:var(--muted);padding:.4rem .7rem;font-weight:500}
button.link:hover{color:var(--brand)}
button.small{padding:.3rem .7rem;font-size:.85rem}
form.inline{display:inline}
.flash{border-radius:12px;padding:.75rem 1rem;margin:0 0 1.2rem;font-weight:500;border:1px solid transparent}
.flash.notice{background:var(--ok-soft);color:var(--ok);border-color:color-mix(in srgb,var(--ok) 25%,transparent)}
.flash.error{background:var(--bad-soft);color:var(--bad);border-color:color-mix(in srgb,var(--bad) 25%,transparent)}
.badge{display:inline-block;font-size:.75rem;font-weight:700;padding:.12rem .5rem;border-radius:999px;background:var(--brand-soft);color:var(--brand);vertical-align:middle}
.badge.ok{background:var(--ok-soft);color:var(--ok)}.badge.warn{background:var(--warn-soft);color:var(--warn)}
.sessions{list-style:none;margin:0;padding:0;display:grid;gap:.8rem}
.sessions li{display:flex;gap:1rem;align-items:center;justify-content:space-between}
.sessions li.current{border-color:color-mix(in srgb,var(--brand) 45%,var(--line))}
.device{font-weight:650}
.meta{display:flex;gap:.35rem 1.1rem;flex-wrap:wrap;color:var(--muted);font-size:.87rem;margin-top:.2rem}
.hero{display:grid;gap:1.5rem;grid-template-columns:1.2fr 1fr;align-items:center;margin-top:1rem}
@media (max-width:720px){.hero{grid-template-columns:1fr}.sessions li{flex-direction:column;align-items:flex-start}}
.hero h1{font-size:2.2rem}
.checks{margin:0;padding:0;list-style:none;display:grid;gap:.5rem}
.checks li{padding-left:1.6rem;position:relative}
.checks li::before{content:"✓";position:absolute;left:0;color:var(--ok);font-weight:800}
.cookie{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.82rem;background:var(--bg);border:1px dashed var(--line);border-radius:10px;padding:.7rem .8rem;word-break:break-all;color:var(--muted)}
.cookie b{color:var(--ink)}
.section-head{display:flex;align-items:end;justify-content:space-between;gap:1rem;margin-bottom:1rem;flex-wrap:wrap}
.danger-zone{margin-top:1.4rem;display:flex;align-items:center;justify-content:space-between;gap:1rem;flex-wrap:wrap}
.m0{margin:0}.tight{margin:.2rem 0 0}
footer{max-width:60rem;margin:0 auto;padding:0 1.25rem 2rem;color:var(--muted);font-size:.82rem}
`;
