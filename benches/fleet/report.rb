# frozen_string_literal: true

require "json"
require "etc"
require "fileutils"

module Fleet
  # The summary line and the JSON report.
  class Report
    def initialize(options:, load:, recorder:, lost:, decisions:, staleness:, cluster:, failover_ms:, rejoin_ms:,
                   kill:, duration:)
      @options = options
      @load = load
      @samples = recorder.samples
      @errors = recorder.errors
      @lost = lost
      @decisions = decisions
      @staleness = staleness
      @cluster = cluster
      @failover_ms = failover_ms
      @rejoin_ms = rejoin_ms
      @kill = kill
      @duration = duration
    end

    def pass? = @lost.empty? && @decisions[:wrong].empty? && @load.wrong_reads.empty? && !@failover_ms.nil?

    def line
      all = @samples.map { |s| s[2] }
      format("fleet nodes=%<nodes>d app_processes=%<p>d leader_kills=1 writes_acked=%<w>d writes_lost=%<l>d " \
             "reads=%<r>d wrong_decisions=%<x>d stale_max_ms=%<s>d failover_ms=%<f>s p50_ms=%<a>.1f p99_ms=%<b>.1f",
             nodes: @cluster.nodes.size, p: @options[:apps], w: @load.counts[:writes_acked], l: @lost.size,
             r: @load.counts[:reads], x: @decisions[:wrong].size, s: @staleness.max_ms.round,
             f: @failover_ms || "none", a: pct(all, 50), b: pct(all, 99))
    end

    def write(path)
      FileUtils.mkdir_p(File.dirname(path))
      File.write(path, "#{JSON.pretty_generate(to_h)}\n")
    end

    def to_h
      {
        summary: line, date: Time.now.utc.iso8601, mode: @options[:quick] ? "quick" : "full",
        machine: { cpus: Etc.nprocessors, loadavg_start: @options[:loadavg_start],
                   loadavg_end: File.read("/proc/loadavg").split.first(3).map(&:to_f) },
        duration_s: @duration.round(2), app_processes: @options[:apps],
        kill: @kill.transform_values { |v| v.is_a?(Float) ? v.round(2) : v },
        failover_ms: @failover_ms, rejoin_ms: @rejoin_ms, app_write_recovery_ms:,
        counts: @load.counts.sort.to_h,
        errors: @errors.first(20).map { |kind, text, n| { kind:, error: text, count: n } },
        writes_lost: @lost, wrong_reads: @load.wrong_reads,
        phases: %i[before during after].to_h { |p| [p, phase(p)] },
        policy_sync: { stale_max_ms: @staleness.max_ms.round, refreshes: @staleness.refreshes,
                       failed_refreshes: @staleness.failures },
        decisions:
      }
    end

    # Local ACL#capabilities per path vs one sys/capabilities call (many paths).
    def decisions
      { checked: @decisions[:checked], wrong: @decisions[:wrong],
        local_us: { p50: pct(@decisions[:local_us], 50), p99: pct(@decisions[:local_us], 99) },
        openbao_sys_capabilities_ms: { p50: pct(@decisions[:remote_ms], 50), p99: pct(@decisions[:remote_ms], 99),
                                       paths_per_call: } }
    end

    private

    # From the kill to the first app write sent after it that was acked.
    def app_write_recovery_ms
      first = @samples.find { |s| s[1] == :write && s[3] && s[0] >= @kill[:at] }
      first && ((first[0] - @kill[:at]) * 1000).round
    end

    def paths_per_call
      calls = @decisions[:remote_ms].size
      calls.zero? ? 0 : @decisions[:checked] / calls
    end

    # Phases: before the kill, from the kill to the first write the cluster
    # took again, after that.
    def phase(name)
      range = { before: 0...@kill[:at], during: @kill[:at]...@kill[:until],
                after: @kill[:until]..Float::INFINITY }.fetch(name)
      rows = @samples.select { |s| range.cover?(s[0]) }
      seconds = [[range.end, @duration].min - range.begin, 0.001].max
      by_kind = rows.group_by { |s| s[1] }
      { seconds: seconds.round(2), requests: rows.size, failed: rows.count { |s| !s[3] },
        writes_per_s: rate(by_kind[:write], seconds), fetches_per_s: rate(by_kind[:fetch], seconds),
        permission_changes_per_s: rate(by_kind[:permission], seconds) }
        .merge(latency(rows)).merge(kinds: by_kind.transform_values { |v| latency(v).merge(n: v.size) })
    end

    def latency(rows)
      ms = rows.map { |s| s[2] }
      { p50_ms: pct(ms, 50), p99_ms: pct(ms, 99) }
    end

    def rate(rows, seconds) = (Array(rows).count { |s| s[3] } / seconds).round(2)

    def pct(values, p)
      return 0.0 if values.nil? || values.empty?

      sorted = values.sort
      sorted[((p / 100.0) * (sorted.size - 1)).round].round(3)
    end
  end
end
