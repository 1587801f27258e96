import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import type { Status } from '@shared/ipc/contract'
import type { ConnectionState } from '../api/connection'

/** Host-reported status plus the state of this page's own link to the host. */
export const useStatusStore = defineStore('status', () => {
  const status = shallowRef<Status | null>(null)
  const connection = shallowRef<ConnectionState>('connected')
  /** When the link to the host dropped (null while connected). */
  const disconnectedSince = shallowRef<number | null>(null)
  /** Plain words for why the page cannot connect at all. */
  const connectionProblem = shallowRef<string | null>(null)
  /** True once the host has answered a bootstrap; before that the page has nothing to show. */
  const everConnected = shallowRef(false)

  const bridgeDown = computed(() => connection.value !== 'connected')
  const offline = computed(() => bridgeDown.value || status.value?.online === false)
  const offlineSince = computed<number | null>(() => {
    const times = [status.value?.online === false ? status.value.offlineSince : null, disconnectedSince.value]
    const known = times.filter((t): t is number => typeof t === 'number')
    return known.length > 0 ? Math.min(...known) : null
  })

  function apply(next: Status): void {
    status.value = next
  }

  function setConnection(state: ConnectionState, at: number, problem: string | null = null): void {
    connection.value = state
    connectionProblem.value = problem
    if (state === 'connected') disconnectedSince.value = null
    else if (disconnectedSince.value === null && everConnected.value) disconnectedSince.value = at
  }

  return { status, connection, disconnectedSince, connectionProblem, everConnected, bridgeDown, offline, offlineSince, apply, setConnection }
})
