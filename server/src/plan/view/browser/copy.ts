/** Copies text to the clipboard: the async API where allowed, else a selection and execCommand. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

let hideTimer: number | undefined;

/** A short, polite announcement at the bottom of the page. */
export function toast(message: string): void {
  const box = document.querySelector<HTMLElement>('.toast');
  if (!box) return;
  box.textContent = message;
  box.classList.add('show');
  window.clearTimeout(hideTimer);
  hideTimer = window.setTimeout(() => box.classList.remove('show'), 2200);
}
