# frozen_string_literal: true

require "net/http"
require "uri"
require "json"
require_relative "../instrumentation"
require_relative "consistency"

module PipelineGuard
  module OpenBao
    # A small JSON-over-HTTP client for the OpenBao API (enough for policy
    # sync, transit interop and the demo). Non-2xx answers raise
    # PipelineGuard::OpenBao::ClientError with OpenBao's `errors` text; the
    # token is never part of a message.
    #
    # Clusters: `addresses:` lists several nodes. A node that cannot be
    # reached, answers as a standby (429, 472, 473), is unavailable (502,
    # 503, 504; also 500 for requests other than POST) is skipped for the
    # next one after a short exponential backoff with jitter, up to
    # `retries` times; a redirect (307/308) to one of the listed nodes is
    # followed and that node is preferred afterwards. A redirect anywhere
    # else is not followed (the token would go with it). A POST is retried
    # only when the node never took it (unreachable, standby, 503, or the
    # 500 of a standby that knows no active node, e.g. during an election).
    #
    # Read-your-writes: standbys of OpenBao 2.x answer reads from their own
    # copy, which may lag (a policy written through a standby reads back as
    # 404 from it). The client sends back the newest `X-Vault-Index` it has
    # seen, asking a standby that is behind to forward (see Consistency);
    # clients made by #with_token and #with_namespace share that state.
    #
    # Thread-safe: the keep-alive connection is used by one request at a
    # time (a Mutex around each request), and a request interrupted before
    # its answer was read (Thread#kill, Timeout) drops its connection, so no
    # caller ever reads another's response. After fork a child opens its own
    # connections (the parent's sockets are left alone).
    class Client
      STANDBY = [429, 472, 473].freeze
      UNAVAILABLE = [502, 503, 504].freeze
      REDIRECTS = [307, 308].freeze
      # OpenBao's 500 from a standby with no active node to forward to: the
      # request was not processed.
      NO_LEADER = "local node not active but active cluster node not found"
      NETWORK_ERRORS = [SystemCallError, IOError, SocketError, Net::OpenTimeout, Net::ReadTimeout].freeze

      attr_reader :addresses, :retries

      # BAO_ADDR (required), BAO_TOKEN, and BAO_ADDRS: the other nodes of a
      # cluster (comma- or space-separated), tried after BAO_ADDR when it
      # cannot answer. BAO_ADDR alone is a single node, as for the CLI.
      def self.from_env(env = ENV)
        others = env.fetch("BAO_ADDRS", "").split(/[\s,]+/).reject(&:empty?)
        new(addresses: [env.fetch("BAO_ADDR"), *others], token: env.fetch("BAO_TOKEN", nil))
      end

      def initialize(address: nil, token: nil, namespace: nil, open_timeout: 2, read_timeout: 10,
                     addresses: nil, retries: nil, backoff: 0.05, max_backoff: 1.0)
        @addresses = Array(addresses || address).map { |a| a.to_s.chomp("/") }.uniq.freeze
        raise ArgumentError, "address: or addresses: is required" if @addresses.empty?

        @token = token
        @namespace = namespace
        @open_timeout = open_timeout
        @read_timeout = read_timeout
        @retries = retries || (@addresses.size > 1 ? 2 * @addresses.size : 0)
        @backoff = backoff
        @max_backoff = max_backoff
        @preferred = 0
        @consistency = Consistency.new
        reset_after_fork
      end

      # The node requests go to first (the last one that answered).
      def address = @addresses[@preferred]

      def inspect
        "#<#{self.class} address=#{address.inspect} nodes=#{@addresses.size}>"
      end

      def get(path) = request(Net::HTTP::Get, path)
      def delete(path) = request(Net::HTTP::Delete, path)
      def post(path, body = {}) = request(Net::HTTP::Post, path, body)
      def put(path, body = {}) = request(Net::HTTP::Put, path, body)
      def list(path) = request(Net::HTTP::Get, "#{path}?list=true")

      def with_token(token)
        self.class.new(addresses: @addresses, token:, namespace: @namespace, open_timeout: @open_timeout,
                       read_timeout: @read_timeout, retries: @retries, backoff: @backoff,
                       max_backoff: @max_backoff).tap { |c| c.send(:inherit, @preferred, @consistency) }
      end

      # The same nodes, token and settings in another namespace (nil: the
      # root namespace), starting at the node this client learned answers.
      def with_namespace(namespace)
        self.class.new(addresses: @addresses, token: @token, namespace:, open_timeout: @open_timeout,
                       read_timeout: @read_timeout, retries: @retries, backoff: @backoff,
                       max_backoff: @max_backoff).tap { |c| c.send(:inherit, @preferred, @consistency) }
      end

      private

      # Starts at the node this client learned answers and shares its
      # read-your-writes state (with_token, with_namespace).
      def inherit(node, consistency)
        @preferred = node
        @consistency = consistency
      end

      def request(klass, path, body = nil)
        node = @preferred
        failure = nil
        (@retries + 1).times do |attempt|
          sleep(delay(attempt)) if attempt.positive?
          outcome, value = try_node(klass, path, body, node)
          case outcome
          when :done
            @preferred = node
            return parse(value, klass, path)
          when :redirect then node, value = value
          when :retry then node = (node + 1) % @addresses.size
          when :fail then raise value
          end
          failure = value
        end
        raise failure
      end

      # One try on one node: [:done, response], [:redirect, node index],
      # [:retry, error] or [:fail, error].
      def try_node(klass, path, body, node)
        address = @addresses[node]
        response = Instrumentation.instrument("request.openbao", method: klass::METHOD, path:, address:) do |p|
          send_request(address, build(klass, path, body)).tap do |r|
            p[:status] = r.code.to_i
            @consistency.record(r["x-vault-index"]) if p[:status].between?(200, 299)
          end
        end
        classify(response, klass, path, address)
      rescue *NETWORK_ERRORS => e
        error = ClientError.new("OpenBao at #{address} unreachable: #{e.class}")
        sent = !(e.is_a?(Net::OpenTimeout) || e.is_a?(Errno::ECONNREFUSED) || e.is_a?(SocketError))
        [klass == Net::HTTP::Post && sent ? :fail : :retry, error]
      end

      def classify(response, klass, path, address)
        code = response.code.to_i
        if REDIRECTS.include?(code)
          target = redirect_target(response["location"])
          return [:redirect, [target, ClientError.new("#{klass::METHOD} #{path}: too many redirects")]] if target

          return [:retry, ClientError.new("#{klass::METHOD} #{path}: HTTP #{code} from #{address} to an unlisted node")]
        end
        return [:done, response] unless retryable?(code, klass) || leaderless?(code, response)

        Instrumentation.instrument("retry.openbao", method: klass::METHOD, path:, address:, status: code)
        [:retry, status_error(response, klass, path)]
      end

      def retryable?(code, klass)
        return true if STANDBY.include?(code) || code == 503
        return false if klass == Net::HTTP::Post

        UNAVAILABLE.include?(code) || code == 500
      end

      def leaderless?(code, response)
        code == 500 && response.body.to_s.include?(NO_LEADER)
      end

      # The index of the listed node a Location header points to, or nil.
      def redirect_target(location)
        uri = URI(location.to_s)
        origin = "#{uri.scheme}://#{uri.host}:#{uri.port}"
        @addresses.index { |a| (u = URI(a)) && "#{u.scheme}://#{u.host}:#{u.port}" == origin }
      rescue URI::InvalidURIError
        nil
      end

      def delay(attempt)
        [@backoff * (2**(attempt - 1)), @max_backoff].min * rand(0.5..1.0)
      end

      def build(klass, path, body)
        req = klass.new("/v1/#{path.delete_prefix('/')}")
        req["X-Vault-Token"] = @token if @token
        req["X-Vault-Namespace"] = @namespace if @namespace
        @consistency.apply(req)
        if body
          req["Content-Type"] = "application/json"
          req.body = JSON.generate(body)
        end
        req
      end

      # A connection whose request did not complete (an exception, or a
      # Thread#kill that runs no rescue) may still receive that answer: it
      # is closed so the next request cannot read it.
      def send_request(address, req)
        lock.synchronize do
          http = connection(address)
          done = false
          begin
            response = http.request(req)
            done = true
            response
          ensure
            drop(address) unless done
          end
        end
      end

      def lock
        reset_after_fork if @pid != Process.pid
        @mutex
      end

      # After fork the parent's sockets stay the parent's: forgotten, not
      # closed (closing a TLS connection would end the parent's session).
      def reset_after_fork
        @pid = Process.pid
        @mutex = Mutex.new
        @connections = {}
      end

      # Only called with the lock held.
      def connection(address)
        http = @connections[address] ||= begin
          uri = URI(address)
          Net::HTTP.new(uri.host, uri.port).tap do |h|
            h.use_ssl = uri.scheme == "https"
            h.open_timeout = @open_timeout
            h.read_timeout = @read_timeout
            h.keep_alive_timeout = 30
          end
        end
        http.start unless http.started?
        http
      end

      def drop(address)
        http = @connections.delete(address)
        http&.finish if http&.started?
      rescue IOError, SystemCallError
        nil
      end

      def parse(response, klass, path)
        raise status_error(response, klass, path) unless response.code.to_i.between?(200, 299)

        response.body.to_s.empty? ? {} : JSON.parse(response.body)
      rescue JSON::ParserError
        raise ClientError, "#{klass::METHOD} #{path}: HTTP #{response.code}: invalid JSON"
      end

      def status_error(response, klass, path)
        data = JSON.parse(response.body.to_s)
        errors = data.is_a?(Hash) ? Array(data["errors"]).join("; ") : ""
        ClientError.new("#{klass::METHOD} #{path}: HTTP #{response.code}: #{errors}")
      rescue JSON::ParserError
        ClientError.new("#{klass::METHOD} #{path}: HTTP #{response.code}: invalid JSON")
      end
    end
  end
end
