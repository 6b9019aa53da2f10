import { useState } from 'react';
import { api } from '../api.js';
import type { ApiClient, ClientSecret, NewApiClient } from '../api-types.js';
import { formatDateTime } from '../labels.js';
import { AdminForm, CenterChoices, Field, ListTable, Section, centerIdsOf, textOf, useAdminList, useCenters } from './form.js';

/** The API clients of the admin's organisation (camera software, clinic systems): secrets shown once, rotation, revocation, centers. */
export function ApiClients() {
  const { items: clients, load, act, messages, setDone, setShown } = useAdminList<ApiClient>('/admin/api-clients');
  const centers = useCenters();
  const [editing, setEditing] = useState<number | null>(null);

  const centerNames = (ids: readonly number[]) => ids.map((id) => centers.find((c) => c.id === id)?.name ?? `#${id}`).join(', ');
  const rotate = (client: ApiClient) =>
    act(async () => {
      const secret = await api.post<ClientSecret>(`/admin/api-clients/${client.id}/rotate-secret`);
      setShown({ title: `New secret of ${client.name}.`, lines: [['client_id', secret.client_id], ['client_secret', secret.client_secret]] });
      load();
      return `${client.name} has a new secret: the old one and its tokens no longer work.`;
    });
  const revoke = (client: ApiClient) =>
    act(async () => {
      if (!window.confirm(`Revoke ${client.name}? It will never work again; its tokens stop at once.`)) return `${client.name} was not revoked.`;
      await api.post(`/admin/api-clients/${client.id}/revoke`);
      load();
      return `${client.name} is revoked.`;
    });

  const editingClient = clients?.find((c) => c.id === editing);
  return (
    <section aria-labelledby="clients-title">
      <h1 id="clients-title">API clients</h1>
      {messages}
      {clients && (
        <ListTable caption="API clients of your organisation" columns={['Name', 'client_id', 'Centers', 'Secret since', 'Status']} actions>
          {clients.map((c) => (
            <tr key={c.id} className={c.disabled ? 'disabled' : undefined}>
              <td>{c.name}</td>
              <td>
                <code>{c.client_id}</code>
              </td>
              <td>{centerNames(c.center_ids)}</td>
              <td>{formatDateTime(c.secret_rotated_at)}</td>
              <td>{c.disabled ? 'Revoked' : 'Active'}</td>
              <td className="actions">
                {!c.disabled && (
                  <>
                    <button type="button" onClick={() => setEditing(c.id)} aria-label={`Centers of ${c.name}`}>
                      Centers
                    </button>
                    <button type="button" onClick={() => void rotate(c)} aria-label={`Rotate secret of ${c.name}`}>
                      Rotate secret
                    </button>
                    <button type="button" className="danger" onClick={() => void revoke(c)} aria-label={`Revoke ${c.name}`}>
                      Revoke
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </ListTable>
      )}
      {editingClient && (
        <Section title={`Centers of ${editingClient.name}`} onCancel={() => setEditing(null)}>
          <AdminForm
            key={editingClient.id}
            label={`Centers of ${editingClient.name}`}
            summaryTitle="The centers were not changed. Please correct:"
            submitLabel="Save centers"
            onSubmit={async (values) => {
              const saved = await api.put<ApiClient>(`/admin/api-clients/${editingClient.id}/centers`, { center_ids: centerIdsOf(values) });
              setEditing(null);
              setDone(`${saved.name} now works for ${centerNames(saved.center_ids)}.`);
              load();
            }}
          >
            <CenterChoices centers={centers} checked={editingClient.center_ids} legend="Centers it may use (the first is its default)" />
          </AdminForm>
        </Section>
      )}
      <Section title="New API client">
        <AdminForm
          label="New API client"
          summaryTitle="The API client was not created. Please correct:"
          submitLabel="Create API client"
          resetOnSuccess
          onSubmit={async (values) => {
            const created = await api.post<NewApiClient>('/admin/api-clients', { name: textOf(values, 'name') ?? '', center_ids: centerIdsOf(values) });
            setShown({ title: `Credentials of ${created.name}.`, lines: [['client_id', created.client_id], ['client_secret', created.client_secret]] });
            setDone(`Created ${created.name}.`);
            load();
          }}
        >
          <Field name="name" label="Name" hint="What it is: the camera software or clinic system" />
          <CenterChoices centers={centers} legend="Centers it may use (the first is its default)" />
        </AdminForm>
      </Section>
    </section>
  );
}
