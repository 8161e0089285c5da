/** How a watch follows a boot: the stage that ends it, how long it may take, how often the log is read. */
import type {Stage} from '../../analysis/types.js'

export interface WatchSettings {
  until: Stage
  timeoutMs: number
  intervalMs: number
}
