/**
 * V8 settings for the engine process, shared by every way of starting it (child_process.fork
 * here, Electron's utilityProcess in the shell) so they all run the engine the same way.
 *
 * The engine keeps a small, steady live heap (about 20 MB with 5,000 symbols) and allocates in
 * bursts once per refresh. V8's default young generation for a 64-bit process is 2 x 16 MB
 * semi-spaces, sized for allocation-heavy servers, and it is all resident after a few bursts;
 * 4 MB semi-spaces hold one burst's short-lived quotes and patches at a fraction of that.
 * With a young generation that small, a scavenge often lands mid-burst while the whole batch
 * of quotes is still referenced; allocation-site pretenuring reads that as "these objects live
 * long" and starts allocating every later batch straight into the old generation, which then
 * grows by megabytes a second until a full GC. Turning pretenuring off keeps the batches young.
 */
export const ENGINE_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=4', '--no-allocation-site-pretenuring']
