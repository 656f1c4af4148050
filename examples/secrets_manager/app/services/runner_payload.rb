# frozen_string_literal: true

# What a runner receives for a job (GitLab's Ci::BuildRunnerPresenter): job
# and git facts from the job record, and each `secrets:` entry that uses
# gitlab_secrets_manager turned into the OpenBao location and login the
# runner needs: engine, path, field and server (URL and inline auth with a
# JWT minted for this job). A `source: group/<path>` entry points at that
# group's secrets manager, but only for a group the project belongs to;
# otherwise, and when a secrets manager is not active, the entry is empty,
# as in GitLab.
class RunnerPayload
  GROUP_SOURCE = %r{\Agroup/([a-zA-Z0-9_\-./]+)\z}

  def initialize(build)
    @build = build
    @jwt = nil
  end

  def to_h
    {
      "id" => @build.id,
      "job_info" => { "id" => @build.id, "name" => @build.name, "stage" => @build.stage,
                      "project_id" => @build.project_id, "project_name" => @build.project.full_path },
      "git_info" => { "ref" => @build.ref, "sha" => @build.sha, "ref_type" => @build.ref_type,
                      "refspecs" => ["+#{@build.sha}:#{@build.ref_path}"] },
      "variables" => variables,
      "secrets" => secrets
    }
  end

  private

  def variables
    vars = {
      "CI_JOB_ID" => @build.id.to_s, "CI_JOB_NAME" => @build.name, "CI_PIPELINE_ID" => @build.pipeline_id.to_s,
      "CI_COMMIT_REF_NAME" => @build.ref, "CI_COMMIT_SHA" => @build.sha,
      "CI_COMMIT_REF_PROTECTED" => @build.ref_protected?.to_s, "CI_PROJECT_ID" => @build.project_id.to_s,
      "CI_PROJECT_PATH" => @build.project.full_path
    }
    vars["CI_COMMIT_TAG"] = @build.ref if @build.ref_type == "tag"
    vars["CI_ENVIRONMENT_NAME"] = @build.environment if @build.environment.present?
    vars.map { |key, value| { "key" => key, "value" => value, "public" => true, "masked" => false } }
  end

  def secrets
    (@build.secrets || {}).to_h do |name, secret|
      secret = secret.dup
      config = secret["gitlab_secrets_manager"]
      secret["gitlab_secrets_manager"] = config ? secrets_manager_payload(config) : config
      [name, secret.compact]
    end
  end

  def secrets_manager_payload(config)
    name = config["name"].to_s
    return {} unless Secret::NAME_FORMAT.match?(name)

    match = GROUP_SOURCE.match(config["source"].to_s)
    return project_payload(name) if config["source"].nil?
    return {} unless match

    group_payload(match[1], name)
  end

  def project_payload(name)
    return {} unless SecretsManagerStatus.active?(@build.project)

    location(SecretsManagerStatus.namespace_path(@build.project), name)
  end

  # Only a group above the project: a job can never point its login at an
  # unrelated group's secrets manager.
  def group_payload(group_path, name)
    group = Group.find_by(full_path: group_path)
    return {} unless group && IdTokens.project_group_ids(@build.project).include?(group.id)
    return {} unless SecretsManagerStatus.active?(group)

    location(SecretsManagerStatus.namespace_path(group), name)
  end

  def location(namespace, name)
    {
      "engine" => { "name" => "kv-v2", "path" => "#{namespace}/secrets/kv" },
      "path" => "explicit/#{name}",
      "field" => "value",
      "server" => {
        "url" => IdTokens.audience,
        "inline_auth" => { "jwt" => jwt, "role" => "all_pipelines",
                           "path" => "#{namespace}/auth/pipeline_jwt/cel/login" }
      }
    }
  end

  # One token per job: its claims do not depend on the secret.
  def jwt = (@jwt ||= IdTokens.for_build(@build))
end
