import { execute, parse } from 'graphql';
import { badInput } from '../../errors.js';
import { schema } from '../../schema/index.js';
import type { RestRoute } from './route.js';

/**
 * GET /v1/users: the seed's user list, answered by GraphQL's own `users` field run in process, so the
 * two can never differ in who may read (USERS_QUERY_ACCESS: admins by default, 403 for others; 401
 * signed out), in paging, or in what a user exposes. The seed's leak is gone: no session ids, only
 * part one's public fields. A page is an array, as the seed's answer was; the next one is in `Link`.
 */

const USERS = parse(`
  query RestUsers($first: Int, $after: String) {
    users(first: $first, after: $after) {
      edges { node { id name displayName email createdAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

interface UsersData {
  users: {
    edges: { node: Record<string, unknown> }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const PAGE_SIZE = /^\d{1,3}$/;

export const listUsers: RestRoute = {
  method: 'GET',
  path: '/v1/users',
  async handle({ context, url }) {
    const first = url.searchParams.get('first');
    if (first !== null && !PAGE_SIZE.test(first))
      throw badInput('first', '"first" must be between 1 and 100.');
    const variables = {
      ...(first === null ? {} : { first: Number(first) }),
      ...(url.searchParams.has('after') ? { after: url.searchParams.get('after') } : {}),
    };
    const result = await execute({
      schema,
      document: USERS,
      variableValues: variables,
      contextValue: context,
    });
    const [error] = result.errors ?? [];
    if (error) throw error;
    const { edges, pageInfo } = (result.data as unknown as UsersData).users;
    const next = new URLSearchParams({
      ...(first === null ? {} : { first }),
      after: pageInfo.endCursor ?? '',
    });
    const headers: Record<string, string> = {};
    if (pageInfo.hasNextPage) headers.link = `</v1/users?${next}>; rel="next"`;
    return { status: 200, body: edges.map((edge) => edge.node), headers };
  },
};
