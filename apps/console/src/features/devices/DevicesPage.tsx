import { useConfirm } from '../../shared/ui/ConfirmDialog';
import { useQuery } from '@tanstack/react-query';
import { fmt, t } from '../../i18n';
import { formatDateTime } from '../../shared/lib/format';
import { usePageTitle } from '../../shared/lib/page-title';
import { DataTable, QueryStates } from '../../shared/ui/DataTable';
import { EmptyState } from '../../shared/ui/States';
import { devicesQuery, eventChoicesQuery, useRevokeDevice } from './devices-api';
import { PairDeviceForm } from './PairDeviceForm';

/** Door devices: pair a phone with a one-time link, see when each was last seen and with which app version, revoke. */
export function DevicesPage() {
  const { confirm, dialog } = useConfirm();
  usePageTitle(t.devices.title);
  const devices = useQuery(devicesQuery);
  const events = useQuery(eventChoicesQuery);
  const revoke = useRevokeDevice();
  const eventName = (id: string) => events.data?.find((event) => event.id === id)?.name ?? id.slice(0, 8);
  return (
    <section className="stack">
      <div className="page-header">
        <h1>{t.devices.title}</h1>
      </div>
      <p className="muted">{t.devices.intro}</p>
      <PairDeviceForm />
      <h2>{t.devices.list}</h2>
      <QueryStates
        query={devices}
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState title={t.devices.empty}>
            <p>{t.devices.emptyHint}</p>
          </EmptyState>
        }
      >
        {(list) => (
          <DataTable
            label={t.devices.list}
            columns={[t.devices.name, t.devices.events, t.devices.state, t.devices.lastSeen, t.devices.appVersion]}
            actions
          >
            {list.map((device) => (
              <tr key={device.id}>
                <td>{device.name}</td>
                <td>{device.eventIds.map(eventName).join(', ')}</td>
                <td>
                  <span className={`badge ${device.state}`}>
                    {t.devices.states[device.state as keyof typeof t.devices.states] ?? device.state}
                  </span>
                </td>
                <td>{device.lastSeenAt ? formatDateTime(device.lastSeenAt) : t.devices.never}</td>
                <td>{device.appVersion ?? '—'}</td>
                <td>
                  {device.state !== 'revoked' && (
                    <button
                      type="button"
                      className="button small danger"
                      disabled={revoke.isPending}
                      onClick={() => {
                        void confirm(
                          fmt(t.devices.confirmRevoke, { name: device.name }),
                          fmt(t.devices.revoke, { name: device.name }),
                        ).then((ok) => ok && revoke.mutate(device.id));
                      }}
                    >
                      {fmt(t.devices.revoke, { name: device.name })}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryStates>
      {dialog}
    </section>
  );
}
