# frozen_string_literal: true

require "json"

module PipelineGuard
  module OpenBao
    # Read-your-writes for a Client (and the clients derived from it) on a
    # cluster whose standbys answer reads from their own, possibly lagging,
    # copy (OpenBao 2.x with integrated storage, the default): the newest
    # `X-Vault-Index` of each cluster seen in an answer is sent back on later
    # requests with `X-Vault-Inconsistent: forward-active-node`, so a standby
    # that has not applied that index yet forwards the request to the active
    # node instead of answering from older state.
    #
    # An index is `base64(JSON {"cluster", "value"})`; one that does not
    # decode is kept as the latest seen for lack of an order. Thread-safe.
    class Consistency
      INDEX = "X-Vault-Index"
      INCONSISTENT = "X-Vault-Inconsistent"
      FORWARD = "forward-active-node"

      def initialize
        @lock = Mutex.new
        @newest = {} # cluster id (or :opaque) => [value, header]
      end

      def record(header)
        return if header.nil? || header.empty?

        cluster, value = decode(header)
        @lock.synchronize do
          known = @newest[cluster]
          @newest[cluster] = [value, header] if known.nil? || value.nil? || known[0].nil? || value > known[0]
        end
      end

      # Adds the index headers to a request (nothing before any answer).
      def apply(request)
        indexes = @lock.synchronize { @newest.values.map(&:last) }
        return if indexes.empty?

        indexes.each { |index| request.add_field(INDEX, index) }
        request[INCONSISTENT] = FORWARD
      end

      def inspect = "#<#{self.class} clusters=#{@lock.synchronize { @newest.size }}>"

      private

      def decode(header)
        data = JSON.parse(header.unpack1("m0"))
        [data.fetch("cluster").to_s, Integer(data.fetch("value").to_s, 10)]
      rescue ArgumentError, JSON::ParserError, KeyError, TypeError, NoMethodError
        [:opaque, nil]
      end
    end
  end
end
