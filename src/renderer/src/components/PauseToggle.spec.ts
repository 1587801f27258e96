import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import PauseToggle from './PauseToggle.vue'
import StatusBar from './StatusBar.vue'
import { useSessionStore } from '../stores/session'
import { createFakeConnection, createFakeHost, makeBootstrap, type FakeHost } from '../testing/fake-api'

let pinia: Pinia
let host: FakeHost

beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  host = createFakeHost()
  await useSessionStore().start({ api: host.api, connection: createFakeConnection() })
})
afterEach(() => useSessionStore().stop())

describe('PauseToggle', () => {
  it('pauses and resumes through the host and follows status.paused', async () => {
    const toggle = mount(PauseToggle, { global: { plugins: [pinia] } })
    const bar = mount(StatusBar, { global: { plugins: [pinia] } })
    expect(toggle.text()).toBe('Pause')
    expect(bar.text()).not.toContain('Updates paused')
    await toggle.trigger('click')
    await flushPromises()
    expect(host.callsTo('setUpdatesPaused')).toEqual([{ paused: true }])
    host.emit('status', { ...makeBootstrap().status, paused: true })
    await flushPromises()
    expect(toggle.text()).toBe('Resume')
    expect(toggle.attributes('aria-pressed')).toBe('true')
    expect(bar.text()).toContain('Updates paused')
    await toggle.trigger('click')
    await flushPromises()
    expect(host.callsTo('setUpdatesPaused')).toEqual([{ paused: true }, { paused: false }])
  })
})
