import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

/**
 * An integer identity primary key in either dialect (ids are integers on the
 * wire). Migrations must keep producing the same columns forever, so this
 * helper never changes behaviour; a different key is a new helper.
 */
export function identityColumn(db: Kysely<unknown>) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return (col: ColumnDefinitionBuilder) => (postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement());
}
