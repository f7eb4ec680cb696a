// `column = any($name)`: one array parameter instead of one parameter per key, so a batched query
// has a single SQL text whatever the batch size and can be prepared once (drizzle `.prepare()`):
// in a reconnect storm, building query objects per batch cost more CPU than running them.
import { sql, type Column, type SQL } from 'drizzle-orm';

export const anyOf = (column: Column, placeholder: string): SQL => sql`${column} = any(${sql.placeholder(placeholder)})`;
