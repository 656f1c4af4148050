# frozen_string_literal: true

$LOAD_PATH.unshift(File.expand_path("../../lib", __dir__))
require "benchmark/ips"
require "json"

# What every area script of the suite shares: benchmark-ips with the run's
# timing (BENCH_QUICK=1: tiny, no assertions), and rows appended as JSON lines
# to BENCH_RESULTS, which bin/bench turns into the results file, the table
# and the plots. Run alone, an area prints its rows and writes nothing.
module BenchSuite
  module_function

  def quick? = ENV["BENCH_QUICK"] == "1"

  def area = ENV.fetch("BENCH_AREA", File.basename($PROGRAM_NAME, ".rb"))

  # Full runs give each entry `time` seconds; quick runs just execute it.
  def timing(time: 1.5, warmup: 0.5)
    quick? ? { warmup: 0.01, time: 0.02 } : { warmup:, time: }
  end

  # entries: {label => callable} (String labels; :time/:warmup Symbol keys
  # override the timing); returns {label => iterations per second}.
  # Full runs split the time into ROUNDS rounds that alternate the entries
  # and keep each entry's best round: on a shared machine both sides of a
  # comparison then see the same load, and a burst of load from elsewhere
  # costs one round, not the row.
  ROUNDS = 3

  def ips(entries = {}, **named)
    entries = entries.merge(named)
    opts = timing(**entries.slice(:time, :warmup))
    entries = entries.except(:time, :warmup)
    rounds = quick? ? 1 : ROUNDS
    best = Hash.new(0.0)
    rounds.times do |round|
      config = { warmup: round.zero? ? opts[:warmup] : opts[:warmup] / 4, time: opts[:time] / rounds }
      report = Benchmark.ips(quiet: true) do |x|
        x.config(**config)
        entries.each { |label, blk| x.report(label, &blk) }
      end
      report.entries.each { |e| best[e.label] = [best[e.label], e.ips].max }
    end
    best
  end

  # One timed block run `count` times; seconds per call (for one-shot costs).
  def seconds_per_call(count = 1, &)
    t = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    count.times(&)
    (Process.clock_gettime(Process::CLOCK_MONOTONIC) - t) / count
  end

  # A side-by-side comparison: both sides measured in this process.
  # min: the target as ours/baseline (nil: informational row).
  # ours/base: [name, iterations per second].
  def compare(scenario, ours:, base:, target: nil, min: nil)
    ratio = ours[1] / base[1]
    emit(kind: "compare", scenario:, ours: ours[0], ours_us: 1e6 / ours[1], baseline: base[0],
         baseline_us: 1e6 / base[1], ratio:, target:, met: min && ratio >= min)
  end

  # A point of a scaling curve: per-call microseconds at x.
  def point(curve, series, x, us_per_call, unit:)
    emit(kind: "curve", curve:, series:, x:, us: us_per_call, unit:)
  end

  def memory(api, calls:, rss_growth_kib:, heap_live_growth:, rss_start_kib:, seconds:)
    emit(kind: "memory", api:, calls:, rss_growth_kib:, heap_live_growth:, rss_start_kib:, seconds:)
  end

  # A row that could not run, with the reason (printed, and kept in the results).
  def skip(scenario, reason)
    warn "#{area}: SKIPPED #{scenario}: #{reason}"
    emit(kind: "skip", scenario:, reason:)
  end

  def note(text) = emit(kind: "note", text:)

  def emit(row)
    row = { area: }.merge(row)
    if (path = ENV.fetch("BENCH_RESULTS", nil))
      File.open(path, "a") { |f| f.puts(JSON.generate(row)) }
    end
    warn format_row(row)
  end

  def format_row(row)
    case row[:kind]
    when "compare"
      format("%-14<area>s %-58<scenario>s %10.3<ours>f us vs %10.3<base>f us %8.2<ratio>fx %<target>s",
             area: row[:area], scenario: row[:scenario], target: row[:target].to_s, ours: row[:ours_us],
             base: row[:baseline_us], ratio: row[:ratio])
    when "curve" then "#{row[:area]} #{row[:curve]}/#{row[:series]} x=#{row[:x]} #{row[:us].round(4)} us"
    else "#{row[:area]} #{row.except(:area).inspect}"
    end
  end

  # Resident set size of this process in KiB (Linux).
  def rss_kib = File.read("/proc/self/status")[/^VmRSS:\s+(\d+)/, 1].to_i

  def free_port
    require "socket"
    server = TCPServer.new("127.0.0.1", 0)
    server.addr[1]
  ensure
    server&.close
  end
end

# A real OpenBao dev server on a free loopback port, started for one area and
# stopped by its PID. Yields the root client, or nil when `bao` is absent
# (the caller records a skip row with the reason).
module BenchOpenBao
  module_function

  def binary
    path = `#{File.expand_path("../../bin/bao-path", __dir__)} 2>/dev/null`.strip
    path.empty? ? nil : path
  end

  def run
    bin = binary
    return yield(nil) unless bin

    port = BenchSuite.free_port
    pid = Process.spawn(bin, "server", "-dev", "-dev-root-token-id=root", "-dev-listen-address=127.0.0.1:#{port}",
                        out: File::NULL, err: File::NULL, pgroup: true)
    begin
      yield wait_ready(PipelineGuard::OpenBao::Client.new(address: "http://127.0.0.1:#{port}", token: "root",
                                                          open_timeout: 0.5))
    ensure
      Process.kill("TERM", pid)
      Process.wait(pid)
    end
  end

  def wait_ready(client)
    100.times do
      client.get("sys/health")
      return client
    rescue PipelineGuard::OpenBao::ClientError
      sleep 0.1
    end
    raise "OpenBao dev server did not start within 10 s"
  end
end
