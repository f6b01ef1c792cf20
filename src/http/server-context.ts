/** What the Node HTTP adapter passes along with each request (the plugins read the peer address). */
export interface ServerContext {
  req?: { url?: string | undefined; socket?: { remoteAddress?: string | undefined } };
}
