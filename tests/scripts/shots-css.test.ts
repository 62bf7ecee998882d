/** `npm run shots`: WXSS made into CSS a browser applies to what miniprogram-simulate renders. */
import { browserWxss, mapSelector, rewriteSelectors, rpxToPx, splitTopLevel } from '../../scripts/shots/css';

test('rpx becomes px at a 375 px wide screen, decimals and negatives included; px and other units stay', () => {
  expect(rpxToPx('margin: 24rpx -32rpx 0.5rpx 3px; width: 750rpx; line-height: 1.5')).toBe(
    'margin: 12px -16px 0.25px 3px; width: 375px; line-height: 1.5',
  );
});

test('built-in tags map to the wx-* elements, page to body, :host to the component tag; classes are left alone', () => {
  expect(mapSelector('page', 'main')).toBe('body');
  expect(mapSelector('view.card > text', 'main')).toBe('wx-view.card > wx-text');
  expect(mapSelector('.page .view-title', 'main')).toBe('.page .view-title');
  expect(mapSelector(':host', 'file-slot')).toBe('file-slot');
  expect(mapSelector(':host(.on) image', 'x-y')).toBe('x-y.on wx-image');
  expect(mapSelector('scroll-view::after', 'main')).toBe('wx-scroll-view::after');
  expect(mapSelector('.page,page', 'main', ':root')).toBe('.page,:root');
});

test('only rule selectors are rewritten: inside @media yes, @keyframes steps, @font-face and declarations no', () => {
  const css = `/* c */ page{color:red} @media (prefers-color-scheme:light){ .page,page{--x:1} }
@keyframes spin{ to{transform:rotate(1turn)} } @font-face{font-family:t;src:url('a{b}.ttf')} view{content:'text{'}`;
  const out = rewriteSelectors(css, (s) => mapSelector(s, 'main', ':root'));
  expect(out).toContain(':root{color:red}');
  expect(out).toContain('@media (prefers-color-scheme:light){ .page,:root{--x:1} }');
  expect(out).toContain('@keyframes spin{ to{transform:rotate(1turn)} }');
  expect(out).toContain("@font-face{font-family:t;src:url('a{b}.ttf')}");
  expect(out).toContain("wx-view{content:'text{'}");
  expect(out).not.toContain('/* c */');
});

test('selector lists split on top-level commas only', () => {
  expect(splitTopLevel('a, b:not(.c, .d), [x="1,2"]')).toEqual(['a', ' b:not(.c, .d)', ' [x="1,2"]']);
});

test('a whole sheet: selectors mapped and rpx converted', () => {
  expect(browserWxss('page{font-size:28rpx} .a text{margin:8rpx}', 'main')).toBe('body{font-size:14px} .a wx-text{margin:4px}');
});
