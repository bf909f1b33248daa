import { ROLE_LABELS, type AccountChanges, type NewAccount, type Role, type User } from '../../../../shared/accounts.js'
import { api, ApiError } from '../api.js'

/** What the page last has to say: a change done, or why it failed. */
export interface UsersMessage {
  readonly kind: 'info' | 'galat'
  readonly text: string
}

const path = (user: User) => `/api/users/${encodeURIComponent(user.username)}`

/** The accounts on the server, managed by an admin: every change is made by the API, then the list is loaded again. */
export class UsersStore {
  #list = $state.raw<User[] | null>(null)
  #message = $state.raw<UsersMessage | null>(null)
  #busy = $state(false)

  /** Null until loaded. */
  get list(): User[] | null {
    return this.#list
  }
  get message(): UsersMessage | null {
    return this.#message
  }
  /** A change is under way: the controls wait. */
  get busy(): boolean {
    return this.#busy
  }

  async load(): Promise<void> {
    try {
      this.#list = await api.get<User[]>('/api/users')
    } catch (e) {
      this.#message = { kind: 'galat', text: e instanceof ApiError ? e.message : 'Daftar pengguna tidak dapat dimuat.' }
    }
  }

  /** Each change resolves true when done, false when refused (`message` says why). */
  add(account: NewAccount): Promise<boolean> {
    return this.#act(() => api.post('/api/users', account), `Akun ${account.username} dibuat.`)
  }

  changeRole(user: User, role: Role): Promise<boolean> {
    return this.#act(() => api.patch(path(user), { role } satisfies AccountChanges), `Peran ${user.name} diubah menjadi ${ROLE_LABELS[role]}.`)
  }

  /** Sets a new password; the server ends the account's earlier sessions. */
  resetPassword(user: User, password: string): Promise<boolean> {
    return this.#act(() => api.patch(path(user), { password } satisfies AccountChanges), `Kata sandi ${user.name} diganti; sesi lamanya berakhir.`)
  }

  remove(user: User): Promise<boolean> {
    return this.#act(() => api.delete(path(user)), `Akun ${user.username} dihapus.`)
  }

  async #act(work: () => Promise<unknown>, done: string): Promise<boolean> {
    this.#busy = true
    try {
      await work()
      this.#message = { kind: 'info', text: done }
      await this.load()
      return true
    } catch (e) {
      this.#message = { kind: 'galat', text: e instanceof ApiError ? e.message : 'Perubahan gagal.' }
      return false
    } finally {
      this.#busy = false
    }
  }
}
