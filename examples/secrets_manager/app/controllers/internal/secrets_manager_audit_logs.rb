# frozen_string_literal: true

module Internal
  # GitLab 19.4's internal endpoint for OpenBao's audit device
  # (ee/lib/api/internal/secrets_manager.rb): POST
  # /api/v4/internal/secrets_manager/audit_logs with one JSON entry as the
  # body. Checks, in GitLab's order: `Content-Type: application/json` (exactly) and a
  # Content-Length under 1 MiB (else 400 "Invalid content type"), then the
  # `Gitlab-Openbao-Auth-Token` header against the shared secret read from
  # a file (else 401 "Unauthorized"; a missing, empty or misplaced file is a
  # 500). Every accepted body answers 202 "202 Accepted", also when it is no
  # secrets-manager event or the parser refuses its shape (OpenBao drops the
  # line on any other answer); only JSON that does not parse is a 400, as
  # Grape refuses it.
  #
  # A Rack endpoint, not a controller: ActionController would parse the
  # JSON body (to log its parameters) before the size and token checks.
  class SecretsManagerAuditLogs
    MAX_REQUEST_PAYLOAD_SIZE = 1024 * 1024
    GITLAB_CONFIG_PATH = "/etc/gitlab/"
    TOKEN_FILE_ENV = "OPENBAO_AUTHENTICATION_TOKEN_SECRET_FILE_PATH"

    class TokenFileError < StandardError; end

    # The shared secret's file: GitLab's
    # `openbao.authentication_token_secret_file_path`.
    def self.token_file_path
      ENV.fetch(TOKEN_FILE_ENV) { Rails.root.join(".gitlab_openbao_authentication_token_secret").to_s }
    end

    def self.call(env) = new.call(env)

    def call(env)
      request = Rack::Request.new(env)
      return reply(400, "Invalid content type") unless valid_request?(request)
      return reply(401, "Unauthorized") unless authentic?(request)

      record(request.body.read(MAX_REQUEST_PAYLOAD_SIZE).to_s)
    rescue TokenFileError => e
      reply(500, e.message)
    end

    private

    def reply(status, message)
      [status, { "Content-Type" => "application/json" }, [JSON.generate({ message: })]]
    end

    def valid_request?(request)
      length = request.content_length
      # GitLab compares the whole header: a `; charset=...` is refused too.
      request.content_type == "application/json" && !length.nil? && length.to_i < MAX_REQUEST_PAYLOAD_SIZE
    end

    def authentic?(request)
      given = request.get_header("HTTP_GITLAB_OPENBAO_AUTH_TOKEN").to_s
      PipelineGuard::Crypto.secure_compare(openbao_authentication_token_secret, given)
    end

    def record(raw)
      OpenBaoAuditLog.new(raw).log!
      reply(202, "202 Accepted")
    rescue PipelineGuard::InvalidInput => e
      return reply(400, "message body does not match declared format") if
        e.message.include?("is not valid JSON") || e.message.include?("is empty")

      # Valid JSON OpenBao would not write: nothing to record (GitLab tracks
      # the error and answers 202 too). The message never quotes the entry.
      Rails.logger.warn("OpenBao audit entry refused: #{e.message}")
      reply(202, "202 Accepted")
    end

    # GitLab: the real path must lie under Rails.root (or /etc/gitlab/
    # outside development and test), be a file, and hold a non-empty secret.
    def openbao_authentication_token_secret
      real_path = Pathname.new(self.class.token_file_path).realpath.to_s
      raise TokenFileError, "Invalid authentication token file path" unless
        allowed_root_paths.any? { |root| real_path.start_with?(root) }
      raise TokenFileError, "Authentication token path is not a file" unless File.file?(real_path)

      secret = File.read(real_path).chomp
      raise TokenFileError, "Empty Openbao authentication token secret" if secret.empty?

      secret
    rescue Errno::ENOENT, Errno::EACCES
      raise TokenFileError, "Unable to fetch Openbao authentication token secret"
    end

    def allowed_root_paths
      roots = [Rails.root.realpath.to_s + File::SEPARATOR]
      roots << GITLAB_CONFIG_PATH unless Rails.env.development? || Rails.env.test?
      roots
    end
  end
end
