/**
 * The largest id a row can have: ids are `integer` columns, 32 bits in
 * PostgreSQL. A larger number names nothing, and must not reach a query:
 * PostgreSQL refuses to compare it with an integer column (a server error).
 */
export const MAX_ID = 2_147_483_647;
