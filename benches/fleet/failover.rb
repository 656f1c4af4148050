# frozen_string_literal: true

module Fleet
  # Writes to a KV v1 mount of the cluster every `interval` seconds, on each
  # live node in turn, and remembers when writes succeeded: the failover time
  # is the gap between a leader kill and the next successful write.
  class FailoverProbe
    MOUNT = "fleet-probe"

    def initialize(cluster, interval: 0.05)
      @cluster = cluster
      @interval = interval
      @ok = []
      @lock = Mutex.new
      @stop = false
    end

    def start
      status, = @cluster.call(@cluster.nodes[0], :post, "sys/mounts/#{MOUNT}", { type: "kv" }, token: true)
      raise "mounting #{MOUNT} failed (HTTP #{status})" unless status == 204

      @thread = Thread.new { run }
      self
    end

    def stop
      @stop = true
      @thread&.join
    end

    # Milliseconds from `killed_at` (monotonic) to the first write sent
    # after it that succeeded (nil: none yet).
    def failover_ms(killed_at)
      first = @lock.synchronize { @ok.find { |t| t > killed_at } }
      first && ((first - killed_at) * 1000.0).round
    end

    def wait_for_write_after(killed_at, timeout:)
      deadline = clock + timeout
      sleep @interval until failover_ms(killed_at) || clock > deadline
      failover_ms(killed_at)
    end

    private

    def clock = Process.clock_gettime(Process::CLOCK_MONOTONIC)

    def run
      turn = 0
      until @stop
        live = @cluster.nodes.select(&:pid)
        node = live[(turn += 1) % live.size] unless live.empty?
        sent = clock # a write counts from when it was sent, not when it was answered
        status, = node ? @cluster.call(node, :put, "#{MOUNT}/beat", { n: turn }, token: true, timeout: 2) : [0]
        @lock.synchronize { @ok << sent } if status == 204
        sleep @interval
      end
    end
  end
end
