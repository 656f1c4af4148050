# frozen_string_literal: true

module PipelineGuard
  module RSpec
    module Matchers
      class Permit
        def initialize(ability)
          @ability = ability
          @user = nil
          @user_given = false
        end

        def on(path)
          @path = path
          self
        end

        def for(user)
          @user = user
          @user_given = true
          self
        end

        def matches?(subject)
          raise ArgumentError, "permit(#{@ability.inspect}) needs .on(path)" unless defined?(@path)

          @subject = subject
          @result = check(subject)
        end

        def does_not_match?(subject)
          !matches?(subject)
        end

        def description
          "permit #{@ability.inspect} on #{@path.inspect}#{" for #{@user.inspect}" if @user_given}"
        end

        def failure_message
          "expected #{subject_name} to #{description}, but it was denied#{detail}"
        end

        def failure_message_when_negated
          "expected #{subject_name} not to #{description}, but it was allowed#{detail}"
        end

        private

        def check(subject)
          answer = if @user_given
                     subject.can?(@user, @ability, @path)
                   elsif subject.respond_to?(:allowed?)
                     subject.allowed?(@ability, @path)
                   else
                     subject.can?(@ability, @path)
                   end
          answer ? true : false
        end

        def subject_name
          @subject.class.name
        end

        def detail
          if !@user_given && @subject.respond_to?(:capabilities)
            " (capabilities: #{@subject.capabilities(@path).inspect})"
          elsif @user_given && @subject.respond_to?(:abilities)
            " (abilities: #{@subject.abilities(@user, @path).inspect})"
          else
            ""
          end
        rescue StandardError
          ""
        end
      end
    end
  end
end
