// Screenshots kept with a record (a bug's, a requirement's): thumbnails that open full size,
// and images pasted from the clipboard — shared by the views.
import { api } from '../api.js';
import { h, dialog } from './dom.js';

/** Thumbnails of `shots` (as the core lists them) in a `.scans` box with `id`; each opens full
 * size in the window (a webview has no second tab to open a picture in). */
export async function thumbnails(shots, id) {
  const box = h('div', { class: 'scans', id });
  for (const a of shots) {
    const bytes = await api.attachment(a.id);
    const url = URL.createObjectURL(new Blob([bytes], { type: a.media_type }));
    const full = () => dialog(a.file_name, h('img', { src: url, alt: a.file_name, class: 'scan' }),
      { submitLabel: '关闭', cancellable: false, onSubmit: async () => true });
    box.append(h('button', { type: 'button', class: 'link', title: `${a.file_name}（点击查看原图）`, 'data-shot': a.id, onclick: full },
      h('img', { src: url, alt: a.file_name, class: 'thumb' })));
  }
  return box;
}

/** The images of a paste event as [{name, data (base64), url}] — named 截图N from `first` —
 * or [] when it carried none (then the paste goes on as text). */
export async function pastedImages(e, first = 1) {
  const files = [...((e.clipboardData && e.clipboardData.files) || [])].filter((f) => f.type.startsWith('image/'));
  if (!files.length) return [];
  e.preventDefault();
  const out = [];
  for (const f of files) {
    const ext = f.type === 'image/png' ? 'png' : 'jpg';
    const name = `截图${first + out.length}.${ext}`;
    const data = await new Promise((ok) => { const r = new FileReader(); r.onload = () => ok(String(r.result).split(',')[1]); r.readAsDataURL(f); });
    out.push({ name, data, url: URL.createObjectURL(f) });
  }
  return out;
}
