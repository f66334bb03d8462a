module.exports = async function teardown() {
  const child = globalThis.__MEDCITA_REDIS__;
  if (child && child.exitCode === null) child.kill('SIGTERM');
};
