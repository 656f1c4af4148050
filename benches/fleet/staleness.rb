# frozen_string_literal: true

module Fleet
  # How old the driver's synced policies got: PolicySync's refresh events
  # (ActiveSupport::Notifications) give each successful refresh; the worst
  # age is the longest time without one, also sampled every 50 ms through
  # PolicySync#staleness.
  class Staleness
    attr_reader :refreshes, :failures, :max_ms

    def initialize
      @refreshes = 0
      @failures = 0
      @max_ms = 0.0
      @lock = Mutex.new
    end

    def start(sync)
      @sub = ActiveSupport::Notifications.subscribe("refresh.policy_sync.pipeline_guard") do |*, payload|
        @lock.synchronize { payload[:exception] ? @failures += 1 : @refreshes += 1 }
      end
      @stop = false
      @thread = Thread.new do
        until @stop
          age = sync.staleness
          @lock.synchronize { @max_ms = [@max_ms, age * 1000.0].max } if age
          sleep 0.05
        end
      end
    end

    def stop
      @stop = true
      @thread&.join
      ActiveSupport::Notifications.unsubscribe(@sub) if @sub
    end
  end
end
