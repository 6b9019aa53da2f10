import { useCallback, useEffect, useState } from 'react';
import { api, request } from '../api.js';
import type { AdminUser, ApiClient, AuditEntry } from '../api-types.js';
import { formatDateTime } from '../labels.js';
import { AdminForm, Field, ListTable, Select, textOf } from './form.js';

const ACTOR_KINDS = [
  ['', 'Anyone'],
  ['user', 'A person'],
  ['api_client', 'An API client'],
  ['cli', 'The command line'],
  ['anonymous', 'Not logged in'],
  ['dicom', 'DICOM network intake'],
] as const;

/** A `datetime-local` value (the admin's own clock) as the instant the API takes. */
function instantOf(values: FormData, name: string): string | undefined {
  const value = textOf(values, name);
  if (value === undefined) return undefined;
  const time = new Date(value);
  // What the browser could not read goes as typed: the server names the field.
  return Number.isNaN(time.getTime()) ? value : time.toISOString();
}

/** The audit trail of the admin's organisation: who read or changed what, by case, actor and time. */
export function AuditTrail() {
  const [query, setQuery] = useState<URLSearchParams | null>(null);
  const [entries, setEntries] = useState<readonly AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [people, setPeople] = useState<readonly AdminUser[]>([]);
  const [clients, setClients] = useState<readonly ApiClient[]>([]);

  useEffect(() => {
    api.get<AdminUser[]>('/admin/users').then(setPeople, () => undefined);
    api.get<ApiClient[]>('/admin/api-clients').then(setClients, () => undefined);
  }, []);

  const load = useCallback(async (params: URLSearchParams, after: string | null) => {
    const page = new URLSearchParams(params);
    if (after) page.set('cursor', after);
    const answer = await request<AuditEntry[]>('GET', `/admin/audit?${page.toString()}`);
    setEntries((previous) => (after ? [...previous, ...answer.content] : answer.content));
    setCursor(answer.next_cursor ?? null);
  }, []);
  useEffect(() => {
    void load(new URLSearchParams({ limit: '100' }), null).catch(() => undefined);
  }, [load]);

  const actorName = (actor: AuditEntry['actor']) => {
    if (actor.kind === 'user') return people.find((p) => p.id === actor.id)?.name ?? `Person #${actor.id}`;
    if (actor.kind === 'api_client') return clients.find((c) => c.id === actor.id)?.name ?? `API client #${actor.id}`;
    if (actor.kind === 'dicom') return 'DICOM network intake';
    return actor.kind === 'cli' ? 'Command line' : 'Not logged in';
  };

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit trail</h1>
      <AdminForm
        label="Search the audit trail"
        className="filters audit-filters"
        summaryTitle="The audit trail was not searched. Please correct:"
        submitLabel="Search"
        onSubmit={async (values) => {
          const params = new URLSearchParams({ limit: '100' });
          const set = (name: string, value: string | undefined) => value !== undefined && params.set(name, value);
          set('case_id', textOf(values, 'case_id'));
          set('actor_kind', textOf(values, 'actor_kind'));
          set('actor_id', textOf(values, 'actor_id'));
          set('from', instantOf(values, 'from'));
          set('to', instantOf(values, 'to'));
          await load(params, null);
          setQuery(params);
        }}
      >
        <Field name="case_id" label="Case number" type="text" />
        <Select name="actor_kind" label="Who" options={ACTOR_KINDS} defaultValue="" />
        <Field name="actor_id" label="Their id" type="text" hint="A person’s or API client’s id" />
        <Field name="from" label="From" type="datetime-local" />
        <Field name="to" label="Until" type="datetime-local" />
      </AdminForm>
      <ListTable caption="Audit entries, newest first" columns={['When', 'Who', 'Action', 'Object', 'Case', 'Center', 'Answer']} className="list audit">
        {entries.map((e) => (
          <tr key={e.seq}>
            <td>{formatDateTime(e.occurred_at)}</td>
            <td>{actorName(e.actor)}</td>
            <td>
              <code>{e.action}</code>
            </td>
            <td>{e.object ? `${e.object.kind.replace('_', ' ')} #${e.object.id}` : '—'}</td>
            <td>{e.case_id ?? '—'}</td>
            <td>{e.center_id ?? '—'}</td>
            <td>{e.status}</td>
          </tr>
        ))}
      </ListTable>
      {entries.length === 0 && <p className="notice">No entries match.</p>}
      {cursor && (
        <button type="button" onClick={() => void load(query ?? new URLSearchParams({ limit: '100' }), cursor)}>
          Older entries
        </button>
      )}
    </section>
  );
}
