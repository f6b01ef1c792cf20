import { type Device, loadDevices, revokeOtherSessions, revokeSession } from '../api/account.js';
import { type DeviceDetails, loadDeviceDetails, optional } from '../api/lifecycle.js';
import { confirmDialog } from '../ui/dialog.js';
import { h, icon } from '../ui/dom.js';
import { messages } from '../ui/forms.js';
import { panel } from '../ui/layout.js';
import { ago, timeElement } from '../ui/time.js';
import { deviceLabel } from './device-name.js';
import type { AccountContext } from './types.js';

interface ListedDevice extends Device {
  label: ReturnType<typeof deviceLabel>;
}

/** Part one's sessions, named by part two's `deviceName` where the server has it. */
async function listDevices(): Promise<ListedDevice[]> {
  const [devices, details] = await Promise.all([
    loadDevices(),
    optional(loadDeviceDetails()).catch((): DeviceDetails[] | undefined => undefined),
  ]);
  const named = new Map(details?.map((detail) => [detail.id, detail.deviceName]));
  // This device first, then the others as the server orders them (most recently seen first).
  const ordered = [...devices].sort((a, b) => Number(b.current) - Number(a.current));
  return ordered.map((device) => ({
    ...device,
    label: deviceLabel(device.userAgent, named.get(device.id)),
  }));
}

export async function devicesSection(context: AccountContext): Promise<HTMLElement> {
  const shown = messages();
  const say = shown.ok;
  const fail = shown.fail;
  const list = h('ul', { class: 'devices', 'aria-labelledby': 'devices-title' });
  const others = h(
    'button',
    { type: 'button', class: 'button secondary' },
    'Sign out everywhere else',
  );

  const render = (devices: ListedDevice[]) => {
    list.replaceChildren(...devices.map(item));
    others.hidden = !devices.some((device) => !device.current);
  };
  const reload = async () => render(await listDevices());
  const focusHeading = () => document.getElementById('devices-title')?.focus();

  function item(device: ListedDevice): HTMLLIElement {
    const meta = h(
      'p',
      { class: 'device-meta' },
      device.current ? 'Active now' : h('span', {}, 'Last active ', timeElement(device.lastSeenAt)),
      device.ip ? ` · ${device.ip}` : '',
      ' · Signed in ',
      timeElement(device.createdAt),
      device.keepSignedIn ? ' · Remembered' : '',
    );
    const revoke = device.current
      ? null
      : h(
          'button',
          {
            type: 'button',
            class: 'button secondary small',
            'aria-label': `Sign out ${device.label.name}`,
          },
          'Sign out',
        );
    revoke?.addEventListener('click', async () => {
      const sure = await confirmDialog({
        title: `Sign out ${device.label.name}?`,
        body: `That device (last active ${ago(device.lastSeenAt)}${device.ip ? ` from ${device.ip}` : ''}) will need to sign in again.`,
        confirm: 'Sign out device',
      });
      if (!sure) return;
      try {
        await revokeSession(device.id);
        await reload();
        focusHeading();
        say(`${device.label.name} is signed out.`);
      } catch (error) {
        fail(error);
      }
    });
    return h(
      'li',
      { class: device.current ? 'device current' : 'device', 'data-session-id': device.id },
      h('span', { class: 'device-icon' }, icon(device.label.kind)),
      h(
        'div',
        { class: 'device-body' },
        h(
          'p',
          { class: 'device-name' },
          h('span', {}, device.label.name),
          device.current ? h('span', { class: 'badge accent' }, 'This device') : null,
        ),
        meta,
      ),
      revoke,
    );
  }

  others.addEventListener('click', async () => {
    const count = list.querySelectorAll('li:not(.current)').length;
    const sure = await confirmDialog({
      title: 'Sign out every other device?',
      body: `${count} other device${count === 1 ? '' : 's'} will need to sign in again. This one stays signed in.`,
      confirm: 'Sign out others',
    });
    if (!sure) return;
    try {
      const ended = await revokeOtherSessions();
      await reload();
      focusHeading();
      say(`Signed out ${ended} other device${ended === 1 ? '' : 's'}.`);
    } catch (error) {
      fail(error);
    }
  });
  context.events.addEventListener('devices', () => void reload().catch(fail));

  render(await listDevices());
  return panel(
    'devices',
    'Your devices',
    'Where your account is signed in. Sign out any device you do not recognise, then change your password.',
    list,
    shown.element,
    h('div', { class: 'actions' }, others),
  );
}
