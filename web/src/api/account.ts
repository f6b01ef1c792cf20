import { gql } from './client.js';

/** Part one of the API (built on every server this page may meet): only its fields here. */

export interface Me {
  id: string;
  name: string;
  displayName: string | null;
  email: string;
  createdAt: string;
}

export interface Device {
  id: string;
  current: boolean;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  keepSignedIn: boolean;
}

const AUTH = 'user { id } session { id }';

export async function loadMe(): Promise<Me | null> {
  const { me } = await gql<{ me: Me | null }>(
    'query Me { me { id name displayName email createdAt } }',
  );
  return me;
}

export async function loadDevices(): Promise<Device[]> {
  const { sessions } = await gql<{ sessions: Device[] }>(
    'query Sessions { sessions { id current userAgent ip createdAt lastSeenAt keepSignedIn } }',
  );
  return sessions;
}

export interface SignUpInput {
  name: string;
  email: string;
  password: string;
  displayName?: string;
  keepSignedIn: boolean;
}

export const signUp = (input: SignUpInput) =>
  gql(`mutation SignUp($input: SignUpInput!) { signUp(input: $input) { ${AUTH} } }`, { input });

export interface SignInInput {
  name?: string;
  email?: string;
  password: string;
  keepSignedIn: boolean;
}

export const signIn = (input: SignInInput) =>
  gql(`mutation SignIn($input: SignInInput!) { signIn(input: $input) { ${AUTH} } }`, { input });

export const forgetPassword = (email: string) =>
  gql('mutation ForgetPassword($input: ForgetPasswordInput!) { forgetPassword(input: $input) }', {
    input: { email },
  });

export interface ResetInput {
  email: string;
  otp: string;
  newPassword: string;
  keepSignedIn: boolean;
}

export const resetPassword = (input: ResetInput) =>
  gql(
    `mutation ResetPassword($input: ResetPasswordInput!) { resetPassword(input: $input) { ${AUTH} } }`,
    { input },
  );

export const changePassword = (input: { currentPassword: string; newPassword: string }) =>
  gql(
    `mutation ChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { ${AUTH} } }`,
    { input },
  );

export const revokeSession = (id: string) =>
  gql('mutation RevokeSession($id: ID!) { revokeSession(id: $id) }', { id });

export async function revokeOtherSessions(): Promise<number> {
  const data = await gql<{ revokeOtherSessions: number }>(
    'mutation RevokeOtherSessions { revokeOtherSessions }',
  );
  return data.revokeOtherSessions;
}

export const logout = () => gql('mutation Logout { logout }');
