const USAGE = `Usage: npm run bench -- [--runs N] [--rounds N] [--duration S] [--connections C] [--quick]

  --runs N         cold runs per timed case; medians are reported (default 5)
  --rounds N       throughput rounds per setting, the servers interleaved in each;
                   medians over rounds are reported (default 5)
  --duration S     seconds of load per server and round (default 10)
  --connections C  autocannon connections (default 50)
  --quick          --runs 3 --rounds 1 --duration 5 (explicit flags still win)`;

function positiveInt(name, raw) {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** Parses argv into { runs, rounds, duration, connections, quick }; prints usage and exits on --help or a bad flag. */
export function parseArgs(argv) {
  /** @type {{ runs?: number, rounds?: number, duration?: number, connections: number, quick: boolean, warmup?: number }} */
  const options = { connections: 50, quick: false };
  try {
    for (let i = 0; i < argv.length; i++) {
      const [flag, inline] = argv[i].split('=', 2);
      const value = () => inline ?? argv[++i];
      if (flag === '--runs') options.runs = positiveInt('--runs', value());
      else if (flag === '--rounds') options.rounds = positiveInt('--rounds', value());
      else if (flag === '--duration') options.duration = positiveInt('--duration', value());
      else if (flag === '--connections') options.connections = positiveInt('--connections', value());
      else if (flag === '--quick') options.quick = true;
      else if (flag === '--help' || flag === '-h') {
        console.log(USAGE);
        process.exit(0);
      } else throw new Error(`unknown flag ${flag}`);
    }
  } catch (error) {
    console.error(`bench: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  options.runs ??= options.quick ? 3 : 5;
  options.rounds ??= options.quick ? 1 : 5;
  options.duration ??= options.quick ? 5 : 10;
  return /** @type {Required<typeof options>} */ (options);
}
