/**
 * `npm run shots`, the pure part: turning WXSS into CSS a desktop browser applies to the DOM that
 * miniprogram-simulate renders, and wrapping that DOM into a standalone HTML page.
 *
 * - rpx → px at a 375 px wide screen (750 rpx = 375 px, so 1 rpx = 0.5 px);
 * - WeChat's built-in element names in selectors (`view`, `text`, `button`…) → the tags simulate
 *   renders (`wx-view`, `wx-text`, `wx-button`…); `page` → `body` (or `:root` for the TDesign
 *   theme's variables); `:host` → the component's own tag;
 * - a small approximation of WeChat's built-in component styles (what `wx-view` and friends look
 *   like before any page style), and the Noto Sans SC font (shipped in node_modules) standing in
 *   for PingFang SC.
 */

/** The built-in WXML components simulate renders as `wx-<name>`. */
export const BUILTIN_TAGS = [
  'view',
  'text',
  'image',
  'button',
  'input',
  'textarea',
  'label',
  'picker',
  'picker-view',
  'picker-view-column',
  'checkbox',
  'checkbox-group',
  'radio',
  'radio-group',
  'switch',
  'slider',
  'scroll-view',
  'swiper',
  'swiper-item',
  'icon',
  'navigator',
  'rich-text',
  'progress',
  'form',
  'cover-view',
  'cover-image',
  'movable-area',
  'movable-view',
  'canvas',
  'video',
  'editor',
  'block',
];

/** `12rpx` → `6px`, `0.5rpx` → `0.25px` (750 rpx is the 375 px screen width). */
export function rpxToPx(css: string, screenWidth = 375): string {
  const factor = screenWidth / 750;
  return css.replace(/(\d*\.?\d+)rpx\b/gi, (_all, n: string) => `${Number((parseFloat(n) * factor).toFixed(4))}px`);
}

const TYPE_RE = new RegExp(
  `(^|[\\s>+~(,])(page|${BUILTIN_TAGS.map((t) => t.replace('-', '\\-')).join('|')})(?=$|[\\s.#\\[:>+~,)])`,
  'g',
);

/**
 * One selector (no commas at top level needed: commas are kept) in browser terms: built-in tags
 * → `wx-*`, `page` → `pageAs`, `:host` → `hostTag` (or `pageAs` for a page).
 */
export function mapSelector(selector: string, hostTag: string, pageAs = 'body'): string {
  let s = selector.replace(
    TYPE_RE,
    (_all, before: string, tag: string) => `${before}${tag === 'page' ? pageAs : `wx-${tag}`}`,
  );
  s = s.replace(/:host\(([^)]*)\)/g, `${hostTag}$1`).replace(/:host\b/g, hostTag);
  return s;
}

/**
 * Rewrite every style rule's selector list with `map`, leaving declarations, at-rule preludes,
 * `@keyframes` steps and `@font-face` alone; descends into `@media` / `@supports` blocks.
 */
export function rewriteSelectors(css: string, map: (selector: string) => string): string {
  const src = css.replace(/\/\*[\s\S]*?\*\//g, '');
  let out = '';
  let i = 0;
  const skipBlock = (from: number): number => {
    // `from` is just after a `{`: return the index just after its matching `}` (quotes respected).
    let depth = 1;
    let j = from;
    while (j < src.length && depth > 0) {
      const c = src[j];
      if (c === '"' || c === "'") {
        const end = src.indexOf(c, j + 1);
        j = end < 0 ? src.length : end + 1;
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}') depth--;
      j++;
    }
    return j;
  };
  const walk = (end: number) => {
    while (i < end) {
      const open = src.indexOf('{', i);
      const close = src.indexOf('}', i);
      const semi = src.indexOf(';', i);
      if (close >= 0 && close < end && (open < 0 || close < open)) {
        // end of the enclosing block
        out += src.slice(i, close + 1);
        i = close + 1;
        return;
      }
      if (open < 0 || open >= end) {
        out += src.slice(i, end);
        i = end;
        return;
      }
      if (semi >= 0 && semi < open && src.slice(i, semi).trim().startsWith('@')) {
        // `@import …;` / `@charset …;`
        out += src.slice(i, semi + 1);
        i = semi + 1;
        continue;
      }
      const prelude = src.slice(i, open);
      const trimmed = prelude.trim();
      if (/^@(media|supports|document|layer)\b/.test(trimmed)) {
        out += prelude + '{';
        i = open + 1;
        walk(end);
        continue;
      }
      const blockEnd = skipBlock(open + 1);
      if (trimmed.startsWith('@')) {
        out += src.slice(i, blockEnd);
      } else {
        out += splitTopLevel(prelude).map(map).join(',') + src.slice(open, blockEnd);
      }
      i = blockEnd;
    }
  };
  walk(src.length);
  return out;
}

/** Split a selector list on commas not inside parentheses or brackets. */
export function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of list) {
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

/** A component's (or page's) WXSS in browser terms, before simulate prefixes its classes. */
export function browserWxss(wxss: string, hostTag: string, pageAs = 'body'): string {
  return rpxToPx(rewriteSelectors(wxss, (s) => mapSelector(s, hostTag, pageAs)));
}

/** WeChat's own look of its built-in components, approximated (base library defaults). */
export const BUILTIN_CSS = `
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font-size: 16px; line-height: normal; font-family: 'PingFang SC', 'Noto Sans SC', -apple-system, 'Helvetica Neue', sans-serif; }
wx-view, wx-scroll-view, wx-swiper, wx-swiper-item, wx-form, wx-picker, wx-picker-view, wx-navigator,
wx-rich-text, wx-cover-view, wx-movable-area, wx-progress, wx-checkbox-group, wx-radio-group, wx-editor { display: block; }
wx-text, wx-label { display: inline; }
wx-text { white-space: pre-wrap; }
wx-block { display: contents; }
wx-scroll-view { overflow: hidden; }
wx-image { display: inline-block; width: 320px; height: 240px; overflow: hidden; position: relative; }
wx-image > img { display: block; width: 100%; height: 100%; object-fit: fill; }
wx-image[mode="aspectFill"] > img { object-fit: cover; }
wx-image[mode="aspectFit"] > img { object-fit: contain; }
wx-image[mode="widthFix"] { height: auto; }
wx-image[mode="widthFix"] > img { height: auto; }
wx-image[mode="heightFix"] { width: auto; }
wx-image[mode="heightFix"] > img { width: auto; }
wx-button { position: relative; display: block; margin-left: auto; margin-right: auto; padding-left: 14px; padding-right: 14px;
  box-sizing: border-box; font-size: 18px; text-align: center; text-decoration: none; line-height: 2.55555556;
  border-radius: 5px; overflow: hidden; color: #000; background-color: #f8f8f8; cursor: pointer; }
wx-button::after { content: " "; width: 200%; height: 200%; position: absolute; top: 0; left: 0; border: 1px solid rgba(0, 0, 0, 0.2);
  transform: scale(0.5); transform-origin: 0 0; box-sizing: border-box; border-radius: 10px; pointer-events: none; }
wx-button[type="primary"] { color: #fff; background-color: #07c160; }
wx-button[size="mini"] { display: inline-block; line-height: 2.3; font-size: 13px; padding: 0 1.34em; }
wx-input { display: block; height: 1.4rem; min-height: 1.4rem; overflow: hidden; text-overflow: clip; white-space: nowrap; }
wx-textarea { display: block; width: 300px; height: 150px; white-space: pre-wrap; word-break: break-all; overflow: hidden; }
.shots-placeholder { color: #999; }
wx-checkbox, wx-radio, wx-switch, wx-icon, wx-slider { display: inline-block; }
[hidden] { display: none; }
.shots-nav { position: sticky; top: 0; z-index: 1000; height: 44px; line-height: 44px; text-align: center; font-size: 17px; font-weight: 600;
  background: #fff; color: #000; border-bottom: 0.5px solid rgba(0, 0, 0, 0.1); }
.shots-nav .shots-capsule { position: absolute; right: 7px; top: 6px; width: 87px; height: 32px; box-sizing: border-box;
  border: 0.5px solid rgba(0, 0, 0, 0.15); border-radius: 16px; background: rgba(255, 255, 255, 0.6); }
`;

/**
 * TDesign's icon font lives on tdesign.gtimg.com (not in the npm package) and is not loaded: icons
 * would be empty boxes. The common ones get a look-alike character from the text font, the rest are
 * left blank.
 */
const ICON_GLYPHS: Record<string, string> = {
  'chevron-right': '›',
  'chevron-left': '‹',
  'chevron-up': '︿',
  'chevron-down': '﹀',
  close: '×',
  'close-circle-filled': '⊗',
  check: '✓',
  'check-circle-filled': '✓',
  add: '+',
  'info-circle': 'ⓘ',
  'info-circle-filled': 'ⓘ',
  'error-circle': '!',
  'error-circle-filled': '!',
  'arrow-right': '→',
  'arrow-left': '←',
  ellipsis: '⋯',
  more: '⋯',
};

export function iconCss(): string {
  const rules = [`wx-label[class*="--t-icon-base"]::before { content: ''; }`];
  for (const [name, glyph] of Object.entries(ICON_GLYPHS))
    rules.push(
      `wx-label[class~="t-icon--t-icon-${name}"]::before { content: '${glyph}'; font-family: 'PingFang SC', sans-serif; }`,
    );
  return rules.join('\n');
}

export interface FontFile {
  /** URL the page loads the font from. */
  url: string;
  weight: number;
}

/** `@font-face` rules so the families WeChat pages ask for (PingFang SC…) resolve to the given files. */
export function fontFaceCss(
  fonts: FontFile[],
  families = ['PingFang SC', 'Noto Sans SC', 'Microsoft YaHei', 'Arial Regular', 'Helvetica Neue'],
): string {
  const rules: string[] = [];
  for (const family of families)
    for (const f of fonts)
      rules.push(
        `@font-face { font-family: '${family}'; src: url('${f.url}') format('truetype'); font-weight: ${f.weight}; font-style: normal; }`,
      );
  return rules.join('\n');
}

export interface ShotDocument {
  title: string;
  /** Style sheets, in cascade order. */
  styles: string[];
  /** The page's serialized DOM. */
  body: string;
  /** Colour behind the page (app.json `window.backgroundColor`). */
  background?: string;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A standalone HTML page: a WeChat-like navigation bar with the title, then the page. */
export function htmlDocument(doc: ShotDocument): string {
  const styles = doc.styles.map((s) => `<style>\n${s.replace(/<\/style/gi, '<\\/style')}\n</style>`).join('\n');
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=375, initial-scale=1">
<title>${escapeHtml(doc.title)}</title>
${styles}
${doc.background ? `<style>html { background: ${doc.background}; }</style>` : ''}
</head><body>
<div class="shots-nav">${escapeHtml(doc.title)}<span class="shots-capsule"></span></div>
${doc.body}
</body></html>
`;
}
