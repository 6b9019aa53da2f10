import { useState } from 'react';
import { api } from '../api.js';
import type { AdminCenter } from '../api-types.js';
import { AdminForm, Field, LANGUAGE_OPTIONS, ListTable, Section, Select, TextArea, textOf, useAdminList } from './form.js';

const TIMEZONE_HINT = 'An IANA name such as Europe/Madrid; empty: the server’s default';
const ADDRESS_HINT = 'Printed under the center’s name on its reports; at most 4 lines';

/** The fields a center is created or changed with: empty time zone and address clear them. */
function centerBody(values: FormData) {
  return {
    name: textOf(values, 'name') ?? '',
    language: textOf(values, 'language'),
    timezone: textOf(values, 'timezone') ?? null,
    address: textOf(values, 'address') ?? null,
  };
}

/** The centers of the admin's organisation: their report language, time zone and the address printed on reports. */
export function Centers() {
  const { items: centers, load, messages, setDone } = useAdminList<AdminCenter>('/admin/centers');
  const [editing, setEditing] = useState<number | null>(null);

  const editingCenter = centers?.find((c) => c.id === editing);
  return (
    <section aria-labelledby="centers-title">
      <h1 id="centers-title">Centers</h1>
      {messages}
      {centers && (
        <ListTable caption="Centers of your organisation" columns={['Name', 'Language', 'Time zone', 'Address on reports']} actions>
          {centers.map((c) => (
            <tr key={c.id}>
              <td>{c.name}</td>
              <td>{LANGUAGE_OPTIONS.find(([code]) => code === c.language)?.[1] ?? c.language}</td>
              <td>{c.timezone}</td>
              <td className="address">{c.address ?? '—'}</td>
              <td>
                <button type="button" onClick={() => setEditing(c.id)} aria-label={`Edit ${c.name}`}>
                  Edit
                </button>
              </td>
            </tr>
          ))}
        </ListTable>
      )}
      {editingCenter && (
        <Section title={`Edit ${editingCenter.name}`} onCancel={() => setEditing(null)}>
          <AdminForm
            key={editingCenter.id}
            label={`Edit ${editingCenter.name}`}
            summaryTitle="The center was not changed. Please correct:"
            submitLabel="Save center"
            onSubmit={async (values) => {
              const saved = await api.patch<AdminCenter>(`/admin/centers/${editingCenter.id}`, centerBody(values));
              setEditing(null);
              setDone(`Saved ${saved.name}.`);
              load();
            }}
          >
            <Field name="name" label="Name" defaultValue={editingCenter.name} />
            <Select name="language" label="Report language" options={LANGUAGE_OPTIONS} defaultValue={editingCenter.language} />
            <Field name="timezone" label="Time zone" defaultValue={editingCenter.timezone} hint={TIMEZONE_HINT} />
            <TextArea name="address" label="Address" defaultValue={editingCenter.address} hint={ADDRESS_HINT} />
          </AdminForm>
        </Section>
      )}
      <Section title="New center">
        <AdminForm
          label="New center"
          summaryTitle="The center was not created. Please correct:"
          submitLabel="Create center"
          resetOnSuccess
          onSubmit={async (values) => {
            const created = await api.post<AdminCenter>('/admin/centers', centerBody(values));
            setDone(`Created ${created.name}.`);
            load();
          }}
        >
          <Field name="name" label="Name" />
          <Select name="language" label="Report language" options={LANGUAGE_OPTIONS} defaultValue="en" />
          <Field name="timezone" label="Time zone" hint={TIMEZONE_HINT} />
          <TextArea name="address" label="Address" hint={ADDRESS_HINT} />
        </AdminForm>
      </Section>
    </section>
  );
}
