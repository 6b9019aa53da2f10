import { api } from '../api.js';
import type { NewOrganisation, Organisation as Org } from '../api-types.js';
import { AdminForm, Field, Section, textOf, useAdminList } from './form.js';

/** The admin's organisation (renamed here), and new organisations started with their own first admin. */
export function Organisation() {
  const { items, load, messages, setDone, setShown } = useAdminList<Org>('/admin/organisations');
  const own = items?.[0] ?? null;

  return (
    <section aria-labelledby="organisation-title">
      <h1 id="organisation-title">Organisation</h1>
      {messages}
      {own && (
        <Section title={own.name}>
          <AdminForm
            key={own.name}
            label="Rename the organisation"
            summaryTitle="The organisation was not renamed. Please correct:"
            submitLabel="Rename"
            onSubmit={async (values) => {
              const saved = await api.patch<Org>(`/admin/organisations/${own.id}`, { name: textOf(values, 'name') ?? '' });
              setDone(`The organisation is now called ${saved.name}.`);
              load();
            }}
          >
            <Field name="name" label="Name" defaultValue={own.name} />
          </AdminForm>
        </Section>
      )}
      <Section title="New organisation">
        <p className="hint">A separate organisation with its own first administrator. You will not see into it once created.</p>
        <AdminForm
          label="New organisation"
          summaryTitle="The organisation was not created. Please correct:"
          submitLabel="Create organisation"
          resetOnSuccess
          onSubmit={async (values) => {
            const password = textOf(values, 'admin.password');
            const created = await api.post<NewOrganisation>('/admin/organisations', {
              name: textOf(values, 'name') ?? '',
              admin: { email: textOf(values, 'admin.email') ?? '', name: textOf(values, 'admin.name') ?? '', ...(password === undefined ? {} : { password }) },
            });
            if (created.admin.password) setShown({ title: `Password of ${created.admin.email}.`, lines: [['Password', created.admin.password]] });
            setDone(`Created ${created.organisation.name}; ${created.admin.email} administers it.`);
          }}
        >
          <Field name="name" label="Name" />
          <Field name="admin.email" label="First administrator’s e-mail" type="email" />
          <Field name="admin.name" label="First administrator’s name" />
          <Field name="admin.password" label="First administrator’s password" type="password" autoComplete="new-password" hint="At least 12 characters; empty: one is generated and shown once" />
        </AdminForm>
      </Section>
    </section>
  );
}
