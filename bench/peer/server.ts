import connectPgSimple from 'connect-pg-simple';
import express from 'express';
import session from 'express-session';
import pg from 'pg';

/**
 * The setup most Express users reach for: express-session with connect-pg-simple, serving "who am I"
 * from the same PostgreSQL and the same users table as sessiongraph. Started by bench/servers.ts.
 */

declare module 'express-session' {
  interface SessionData {
    userId: string;
  }
}

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const pool = new pg.Pool({ connectionString: url, max: 10 });
const PgStore = connectPgSimple(session);

const app = express();
app.use(express.json());
app.use(
  session({
    store: new PgStore({ pool, tableName: 'peer_session', createTableIfMissing: true }),
    secret: 'bench-peer-secret-0123456789-abcdefghij',
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', maxAge: 86_400_000 },
  }),
);

// The bench signs its user in here by name; the peer is measured only on "who am I".
app.post('/login', async (req, res) => {
  const { rows } = await pool.query<{ id: string }>(
    'SELECT id::text FROM users WHERE name_key = $1',
    [String(req.body?.name ?? '').toLowerCase()],
  );
  if (!rows[0]) return void res.status(404).json({ ok: false });
  req.session.userId = rows[0].id;
  res.json({ ok: true });
});

app.post('/graphql', async (req, res) => {
  const userId = req.session.userId;
  if (!userId) return void res.json({ data: { me: null } });
  const { rows } = await pool.query<{ id: string; name: string }>(
    'SELECT id::text, name FROM users WHERE id = $1',
    [userId],
  );
  res.json({ data: { me: rows[0] ?? null } });
});

const port = Number(process.env.PORT ?? 4100);
app.listen(port, '127.0.0.1', () => console.log(`peer on ${port}`));
