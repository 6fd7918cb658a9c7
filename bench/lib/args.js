export const SECTIONS = ['generation', 'throughput', 'durable', 'validators', 'startup'];

const USAGE = `Usage: npm run bench -- [--runs N] [--rounds N] [--duration S] [--connections C] [--quick]
                       [--only SECTION[,SECTION]] [--worker-jobs N]

  --runs N         cold runs per timed case; medians are reported (default 5)
  --rounds N       throughput rounds per setting, the servers interleaved in each;
                   medians over rounds are reported (default 5)
  --duration S     seconds of load per server and round (default 10)
  --connections C  autocannon connections (default 50)
  --quick          --runs 3 --rounds 1 --duration 5 (explicit flags still win)
  --worker-jobs N  deliveries each durable worker case drains (default 20000)
  --only LIST      run only these sections (${SECTIONS.join(', ')}), comma-separated;
                   the report then goes to bench/RESULTS.partial.md, naming the sections
                   that ran, and bench/RESULTS.md (the last full run) is left alone`;

function sectionList(raw) {
  const list = String(raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = list.filter((s) => !SECTIONS.includes(s));
  if (list.length === 0 || unknown.length > 0) {
    throw new Error(`--only takes sections among ${SECTIONS.join(', ')}, got ${JSON.stringify(raw)}`);
  }
  // In the order the bench runs them, once each.
  return SECTIONS.filter((s) => list.includes(s));
}

function positiveInt(name, raw) {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** Parses argv into { runs, rounds, duration, connections, quick, only }; prints usage and exits on --help or a bad flag. */
export function parseArgs(argv) {
  /** @type {{ runs?: number, rounds?: number, duration?: number, connections: number, quick: boolean, warmup?: number, only?: string[], workerJobs?: number }} */
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
      else if (flag === '--only') options.only = sectionList(value());
      else if (flag === '--worker-jobs') options.workerJobs = positiveInt('--worker-jobs', value());
      else if (flag === '--help' || flag === '-h') {
        console.log(USAGE);
        process.exit(0);
      } else throw new Error(`unknown flag ${flag}`);
    }
  } catch (error) {
    console.error(`bench: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  // Every section named: a full run.
  if (options.only?.length === SECTIONS.length) delete options.only;
  options.workerJobs ??= 20_000;
  options.runs ??= options.quick ? 3 : 5;
  options.rounds ??= options.quick ? 1 : 5;
  options.duration ??= options.quick ? 5 : 10;
  return /** @type {Required<Omit<typeof options, 'only'>> & { only?: string[] }} */ (options);
}
