import type {
  DestroyResult,
  LoginOptions,
  RejectReason,
  Session,
  SessionData,
  SessionKey,
} from "@tessera/session";

/** Shared per-request flag: true once the commit has begun. */
export interface Lock {
  locked: boolean;
}

/**
 * A view of a session whose mutating methods throw (async ones reject) with
 * `lateError()` once the commit has begun and the headers are on their way
 * (AD-04, T-A06): a change then could reach neither the store nor the cookie.
 * Reads stay allowed; so does `csrfToken()` on a session that is already
 * stored (a streamed form may need it), because it then changes nothing.
 *
 * A plain delegating class rather than a Proxy: it sits on every request's
 * hot path, and V8 optimizes ordinary method calls far better than traps.
 * Members it does not define (ones `Session` gains later) fall through to a
 * Proxy at the end of its prototype chain that reads them from the wrapped
 * session, so the view never lacks a member; only the members below are guarded.
 */
export class GuardedSession<D extends SessionData, F extends SessionData> {
  /** The wrapped sessions' prototype (the session package's own class), once seen. */
  static #sessionPrototype: object | null = null;

  static {
    Object.setPrototypeOf(
      GuardedSession.prototype,
      new Proxy(Object.create(null) as object, {
        get(_target, property, receiver) {
          const inner = (receiver as GuardedSession<SessionData, SessionData>).#inner as object;
          const value = Reflect.get(inner, property, inner) as unknown;
          return typeof value === "function" ? value.bind(inner) : value;
        },
        set(_target, property, value, receiver) {
          const inner = (receiver as GuardedSession<SessionData, SessionData>).#inner as object;
          return Reflect.set(inner, property, value, inner);
        },
        // The manager accepts only sessions it loaded (`instanceof` its class and
        // its context): ending the chain in that class lets the view be passed
        // back, e.g. `sessions.revokeUser(id, { except: req.session })`.
        getPrototypeOf() {
          return GuardedSession.#sessionPrototype;
        },
      }),
    );
  }

  readonly #inner: Session<D, F>;
  readonly #lock: Lock;
  readonly #lateError: () => Error;

  constructor(inner: Session<D, F>, lock: Lock, lateError: () => Error) {
    this.#inner = inner;
    this.#lock = lock;
    this.#lateError = lateError;
    GuardedSession.#sessionPrototype ??= Object.getPrototypeOf(inner) as object | null;
  }

  /** The guarded view, typed as the session it wraps. */
  static of<D extends SessionData, F extends SessionData>(
    inner: Session<D, F>,
    lock: Lock,
    lateError: () => Error,
  ): Session<D, F> {
    return new GuardedSession(inner, lock, lateError) as unknown as Session<D, F>;
  }

  #check(): void {
    if (this.#lock.locked) throw this.#lateError();
  }

  get isNew(): boolean {
    return this.#inner.isNew;
  }
  get rejected(): RejectReason | undefined {
    return this.#inner.rejected;
  }
  get userId(): string | undefined {
    return this.#inner.userId;
  }
  get authTime(): number | undefined {
    return this.#inner.authTime;
  }
  get createdAt(): number {
    return this.#inner.createdAt;
  }
  get lastSeenAt(): number {
    return this.#inner.lastSeenAt;
  }
  get isDestroyed(): boolean {
    return this.#inner.isDestroyed;
  }
  get<K extends SessionKey<D>>(key: K): D[K] | undefined {
    return this.#inner.get(key);
  }
  has<K extends SessionKey<D>>(key: K): boolean {
    return this.#inner.has(key);
  }
  toJSON(): Partial<D> {
    return this.#inner.toJSON();
  }
  isFresh(maxAge: number): boolean {
    return this.#inner.isFresh(maxAge);
  }
  requireFresh(maxAge: number): void {
    this.#inner.requireFresh(maxAge);
  }
  verifyCsrf(token: unknown): Promise<boolean> {
    return this.#inner.verifyCsrf(token);
  }
  set<K extends SessionKey<D>>(key: K, value: D[K]): void {
    this.#check();
    this.#inner.set(key, value);
  }
  delete<K extends SessionKey<D>>(key: K): void {
    this.#check();
    this.#inner.delete(key);
  }
  persist(): void {
    this.#check();
    this.#inner.persist();
  }
  flash<K extends SessionKey<F>>(key: K, value: F[K]): void {
    this.#check();
    this.#inner.flash(key, value);
  }
  consumeFlash<K extends SessionKey<F>>(key: K): F[K] | undefined {
    this.#check();
    return this.#inner.consumeFlash(key);
  }
  async regenerate(): Promise<void> {
    this.#check();
    return this.#inner.regenerate();
  }
  async elevate(): Promise<void> {
    this.#check();
    return this.#inner.elevate();
  }
  async login(userId: string, options?: LoginOptions<D>): Promise<void> {
    this.#check();
    return this.#inner.login(userId, options);
  }
  async logout(): Promise<DestroyResult> {
    this.#check();
    return this.#inner.logout();
  }
  async destroy(): Promise<DestroyResult> {
    this.#check();
    return this.#inner.destroy();
  }
  async csrfToken(): Promise<string> {
    if (this.#lock.locked && this.#inner.isNew) throw this.#lateError();
    return this.#inner.csrfToken();
  }
}
