package io.mysos.dist;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mysos} command line. */
@Command(name = "mysos", mixinStandardHelpOptions = true, version = "mysos 0.1.0",
        description = "Runs MySQL clusters on Apache Mesos, or on this machine in local mode.",
        subcommands = {LocalCommand.class, SchedulerCommand.class, MesosExecutorCommand.class, RouterCommand.class,
                AuditCommand.class})
public final class Mysos implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Mysos()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
