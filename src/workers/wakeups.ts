/**
 * In-process nudges from the code that records work (callback events) to the
 * workers of the same process, so they start at once instead of at their
 * next poll. Workers in other processes still find the work by polling.
 * `checks` goes the other way: the image worker says it has checked an
 * image, to an upload waiting for its checks (`wait_for_checks`).
 * `dicom_studies`: a DICOM file was received (its study is due at once when the stable time is 0).
 */
export type WakeupTopic = 'callbacks' | 'previews' | 'checks' | 'dicom_studies';

export class Wakeups {
  private readonly listeners = new Map<WakeupTopic, Set<() => void>>();

  on(topic: WakeupTopic, listener: () => void): () => void {
    const set = this.listeners.get(topic) ?? new Set();
    set.add(listener);
    this.listeners.set(topic, set);
    return () => set.delete(listener);
  }

  notify(topic: WakeupTopic): void {
    for (const listener of this.listeners.get(topic) ?? []) listener();
  }
}
