import { useState } from 'react';
import { api } from '../api.js';
import type { AdminUser, NewUser, PasswordReset } from '../api-types.js';
import { useSession } from '../session.js';
import { AdminForm, CenterChoices, Field, ListTable, ROLE_OPTIONS, Section, Select, centerIdsOf, roleLabel, textOf, useAdminList, useCenters } from './form.js';

/** The people of the admin's organisation: their roles and centers; create, change, disable, reset passwords. */
export function People() {
  const { user: me } = useSession();
  const { items: people, load, act, messages, setDone, setShown } = useAdminList<AdminUser>('/admin/users');
  const centers = useCenters();
  const [editing, setEditing] = useState<number | null>(null);

  const centerNames = (ids: readonly number[]) => ids.map((id) => centers.find((c) => c.id === id)?.name ?? `#${id}`).join(', ') || '—';
  const toggle = (person: AdminUser) =>
    act(async () => {
      await api.patch(`/admin/users/${person.id}`, { disabled: !person.disabled });
      load();
      return person.disabled ? `${person.name} may log in again.` : `${person.name} is disabled: they cannot log in, and their sessions have ended.`;
    });
  const reset = (person: AdminUser) =>
    act(async () => {
      const result = await api.post<PasswordReset>(`/admin/users/${person.id}/password`, {});
      setShown({ title: `New password for ${person.email}.`, lines: [['Password', result.password ?? '']] });
      load();
      return `${person.name}’s password was reset; their sessions have ended.`;
    });

  const editingPerson = people?.find((p) => p.id === editing);
  return (
    <section aria-labelledby="people-title">
      <h1 id="people-title">People</h1>
      {messages}
      {people && (
        <ListTable caption="People of your organisation" columns={['Name', 'E-mail', 'Role', 'Centers', 'Status']} actions>
          {people.map((p) => (
            <tr key={p.id} className={p.disabled ? 'disabled' : undefined}>
              <td>
                {p.name}
                {p.licence_number ? ` · ${p.licence_number}` : ''}
              </td>
              <td>{p.email}</td>
              <td>{roleLabel(p.role)}</td>
              <td>{centerNames(p.center_ids)}</td>
              <td>{p.disabled ? 'Disabled' : 'Active'}</td>
              <td className="actions">
                <button type="button" onClick={() => setEditing(p.id)} aria-label={`Edit ${p.name}`}>
                  Edit
                </button>
                {p.id !== me.id && (
                  <button type="button" onClick={() => void toggle(p)} aria-label={`${p.disabled ? 'Enable' : 'Disable'} ${p.name}`}>
                    {p.disabled ? 'Enable' : 'Disable'}
                  </button>
                )}
                <button type="button" onClick={() => void reset(p)} aria-label={`Reset password of ${p.name}`}>
                  Reset password
                </button>
              </td>
            </tr>
          ))}
        </ListTable>
      )}
      {editingPerson && (
        <Section title={`Edit ${editingPerson.name}`} onCancel={() => setEditing(null)}>
          <AdminForm
            key={editingPerson.id}
            label={`Edit ${editingPerson.name}`}
            summaryTitle="The person was not changed. Please correct:"
            submitLabel="Save person"
            onSubmit={async (values) => {
              const saved = await api.patch<AdminUser>(`/admin/users/${editingPerson.id}`, {
                name: textOf(values, 'name') ?? '',
                role: textOf(values, 'role'),
                licence_number: textOf(values, 'licence_number') ?? null,
                center_ids: centerIdsOf(values),
              });
              setEditing(null);
              setDone(`Saved ${saved.name}.`);
              load();
            }}
          >
            <Field name="name" label="Name" defaultValue={editingPerson.name} />
            <Select name="role" label="Role" options={ROLE_OPTIONS} defaultValue={editingPerson.role} />
            <Field name="licence_number" label="Licence number" defaultValue={editingPerson.licence_number} hint="Readers: printed on the reports they sign" />
            <CenterChoices centers={centers} checked={editingPerson.center_ids} legend="Centers they work for (staff)" />
          </AdminForm>
        </Section>
      )}
      <Section title="New person">
        <AdminForm
          label="New person"
          summaryTitle="The person was not created. Please correct:"
          submitLabel="Create person"
          resetOnSuccess
          onSubmit={async (values) => {
            const password = textOf(values, 'password');
            const created = await api.post<NewUser>('/admin/users', {
              email: textOf(values, 'email') ?? '',
              name: textOf(values, 'name') ?? '',
              role: textOf(values, 'role') ?? '',
              ...(password === undefined ? {} : { password }),
              ...(textOf(values, 'licence_number') === undefined ? {} : { licence_number: textOf(values, 'licence_number') }),
              center_ids: centerIdsOf(values),
            });
            if (created.password) setShown({ title: `Password for ${created.email}.`, lines: [['Password', created.password]] });
            setDone(`Created ${created.email}.`);
            load();
          }}
        >
          <Field name="email" label="E-mail" type="email" />
          <Field name="name" label="Name" />
          <Select name="role" label="Role" options={ROLE_OPTIONS} defaultValue="staff" />
          <Field name="licence_number" label="Licence number" hint="Readers: printed on the reports they sign" />
          <CenterChoices centers={centers} legend="Centers they work for (staff)" />
          <Field name="password" label="Password" type="password" autoComplete="new-password" hint="At least 12 characters; empty: one is generated and shown once" />
        </AdminForm>
      </Section>
    </section>
  );
}
