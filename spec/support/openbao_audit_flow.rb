# frozen_string_literal: true

require "openssl"

# Drives a live OpenBao the way GitLab's secrets manager does, so its audit
# device writes the entries GitLab ingests: a per-project and a per-group
# namespace, each with KV v2 at `secrets/kv`, a `user_jwt` mount (people
# through the UI) and a `pipeline_jwt` mount (CI jobs), logins whose
# metadata carry GitLab's ids, and the create / update / read / delete
# sequences GitLab's services send.
class OpenBaoAuditFlow
  AUDIENCE = "http://openbao.example"
  POLICY = <<~HCL
    path "secrets/kv/*" { capabilities = ["create", "read", "update", "delete", "list"] }
  HCL

  attr_reader :namespaces

  # One provisioned flow per server address.
  def self.provisioned(address, root_token)
    (@provisioned ||= {})[address] ||= new(address, root_token).provision
  end

  def initialize(address, root_token, user_id: 7, project_id: 20, group_id: 10)
    @address = address
    @root_token = root_token
    @user_id = user_id
    @project_id = project_id
    @group_id = group_id
    @key = OpenSSL::PKey::RSA.new(2048)
    @namespaces = { project: "org_1/group_#{group_id}/project_#{project_id}",
                    group: "org_1/group_#{group_id}/group_#{group_id}" }
  end

  def provision
    make_namespace("org_1")
    make_namespace("org_1/group_#{@group_id}")
    @namespaces.each_value do |ns|
      make_namespace(ns)
      admin = client(ns, @root_token)
      admin.post("sys/mounts/secrets/kv", { type: "kv", options: { version: "2" } })
      admin.put("sys/policies/acl/secrets", { policy: POLICY })
      %w[user_jwt pipeline_jwt].each do |mount|
        admin.post("sys/auth/#{mount}", { type: "jwt" })
        admin.post("auth/#{mount}/config", { jwt_validation_pubkeys: [@key.public_key.to_pem],
                                             bound_issuer: "gitlab" })
      end
    end
    self
  end

  # Metadata as GitLab's logins set it.
  def user_claims(scope)
    base = { "user_id" => @user_id.to_s, "correlation_id" => "01K7KVMBNNDJK2YVC729B5ERF0" }
    if scope == :group
      base.merge("group_id" => @group_id.to_s, "root_group_id" => @group_id.to_s)
    else
      base.merge("project_id" => @project_id.to_s)
    end
  end

  def job_claims(scope, job_id:, pipeline_id:)
    base = { "user_id" => @user_id.to_s, "project_id" => @project_id.to_s,
             "pipeline_id" => pipeline_id.to_s, "job_id" => job_id.to_s }
    scope == :group ? base.merge("group_id" => @group_id.to_s) : base
  end

  def login(scope, mount, claims)
    ns = @namespaces.fetch(scope)
    admin = client(ns, @root_token)
    role = "r_#{claims.keys.sort.join('_')}"
    admin.post("auth/#{mount}/role/#{role}",
               { role_type: "jwt", user_claim: "user_id", bound_audiences: [AUDIENCE],
                 claim_mappings: claims.keys.to_h { |k| [k, k] }, token_policies: ["secrets"] })
    jwt = PipelineGuard::JWT.encode(claims.merge("iss" => "gitlab", "aud" => AUDIENCE,
                                                 "iat" => Time.now.to_i - 60, "nbf" => Time.now.to_i - 60,
                                                 "exp" => Time.now.to_i + 600), @key, "RS256")
    token = admin.post("auth/#{mount}/login", { role:, jwt: }).dig("auth", "client_token")
    client(ns, token)
  end

  # GitLab's CreateService: value, then the metadata in two phases.
  def create(client, name)
    client.post("secrets/kv/data/explicit/#{name}", { data: { value: "s3cr3t" }, options: { cas: 0 } })
    meta = { "environment" => "*", "branch" => "main", "description" => "d",
             "create_started_at" => "2026-12-03T18:00:00Z" }
    client.post("secrets/kv/metadata/explicit/#{name}", { custom_metadata: meta })
    client.post("secrets/kv/metadata/explicit/#{name}",
                { custom_metadata: meta.merge("create_completed_at" => "2026-12-03T18:00:01Z") })
  end

  # GitLab's UpdateService: metadata started, value, metadata completed.
  def update(client, name)
    meta = { "environment" => "*", "branch" => "main", "description" => "d2",
             "update_started_at" => "2026-12-03T18:01:00Z" }
    client.post("secrets/kv/metadata/explicit/#{name}", { custom_metadata: meta })
    client.post("secrets/kv/data/explicit/#{name}", { data: { value: "n3w" } })
    client.post("secrets/kv/metadata/explicit/#{name}",
                { custom_metadata: meta.merge("update_completed_at" => "2026-12-03T18:01:01Z") })
  end

  def read(client, name) = client.get("secrets/kv/data/explicit/#{name}")

  def delete(client, name) = client.delete("secrets/kv/metadata/explicit/#{name}")

  private

  def client(namespace, token)
    PipelineGuard::OpenBao::Client.new(address: @address, token:, namespace:)
  end

  def make_namespace(path)
    parent, _, name = path.rpartition("/")
    client(parent.empty? ? nil : parent, @root_token).post("sys/namespaces/#{name}")
  end
end
